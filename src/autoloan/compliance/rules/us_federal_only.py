"""US states and territories with no state rule encoded: federal rules plus a coverage warning.

One table instead of thirty-five near-empty modules: each row is a jurisdiction the checker
knows (so it is never refused as unknown) whose pack holds no rule of its own, only the ``warn``
finding that names what is not encoded. A state moves out of this table into its own module
(``us_xx.py``) when one of its rules is encoded from primary text. Territories are covered by
the FDCPA (15 U.S.C. 1692a(8): "State" includes territories and possessions).

>>> from autoloan.compliance.rules import us_federal_only
>>> [code for code, _, _, _ in us_federal_only.PACKS][:3]
['US-AK', 'US-AL', 'US-AR']
"""

from __future__ import annotations

__all__ = ["PACKS", "PARENT"]

PARENT = "US"

_NONE_FOUND = (
    "no creditor-reaching collection statute found; post-repossession notices (UCC 9-611, 9-614) not encoded"
)
_NOT_RESEARCHED = "state collection and repossession statutes not researched: federal rules only"
_TERRITORY = "territorial collection and repossession law not researched: federal rules only"

#: (code, name, default zones, what is not encoded), sorted by code.
PACKS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("US-AK", "Alaska", ("America/Anchorage", "America/Adak"), _NOT_RESEARCHED),
    ("US-AL", "Alabama", ("America/Chicago",), _NONE_FOUND),
    ("US-AR", "Arkansas", ("America/Chicago",), _NOT_RESEARCHED),
    ("US-AS", "American Samoa", ("Pacific/Pago_Pago",), _TERRITORY),
    (
        "US-AZ",
        "Arizona",
        ("America/Phoenix",),
        "A.R.S. 32-1001 et seq. and A.A.C. R20-4-1501 et seq. bind collection agencies; no numeric conduct "
        "rule found",
    ),
    (
        "US-CT",
        "Connecticut",
        ("America/New_York",),
        "C.G.S. 36a-645 to 36a-647 and Regs. 36a-647-1 to -7 apply FDCPA-style standards to creditors; "
        "36a-647-4 (timing) not read",
    ),
    ("US-DE", "Delaware", ("America/New_York",), _NOT_RESEARCHED),
    ("US-GU", "Guam", ("Pacific/Guam",), _TERRITORY),
    ("US-HI", "Hawaii", ("Pacific/Honolulu",), _NOT_RESEARCHED),
    ("US-ID", "Idaho", ("America/Boise", "America/Los_Angeles"), _NOT_RESEARCHED),
    ("US-IN", "Indiana", ("America/Indiana/Indianapolis", "America/Chicago"), _NONE_FOUND),
    ("US-KY", "Kentucky", ("America/New_York", "America/Chicago"), _NONE_FOUND),
    (
        "US-MN",
        "Minnesota",
        ("America/Chicago",),
        "Minn. Stat. 332.31-332.45 bind collection agencies only (332.32 excludes banks collecting "
        "their own); "
        "no numeric conduct rule found",
    ),
    ("US-MP", "Northern Mariana Islands", ("Pacific/Saipan",), _TERRITORY),
    ("US-MS", "Mississippi", ("America/Chicago",), _NOT_RESEARCHED),
    ("US-MT", "Montana", ("America/Denver",), _NOT_RESEARCHED),
    (
        "US-NC",
        "North Carolina",
        ("America/New_York",),
        "G.S. 75-50 to 75-56 bind creditors; hours and frequency are standards without numbers (secondary)",
    ),
    ("US-ND", "North Dakota", ("America/Chicago", "America/Denver"), _NOT_RESEARCHED),
    ("US-NH", "New Hampshire", ("America/New_York",), _NOT_RESEARCHED),
    (
        "US-NJ",
        "New Jersey",
        ("America/New_York",),
        "no creditor-reaching collection statute found; post-repossession notice to owner and cosigners "
        "(secondary, section not read)",
    ),
    ("US-NM", "New Mexico", ("America/Denver",), _NOT_RESEARCHED),
    ("US-OK", "Oklahoma", ("America/Chicago",), "UCCC right-to-cure sections not found; " + _NONE_FOUND),
    (
        "US-OR",
        "Oregon",
        ("America/Los_Angeles", "America/Boise"),
        "ORS 646.639 binds creditors but sets standards without numbers; repossession firms register as "
        "collection agencies (ORS 697.005)",
    ),
    (
        "US-PA",
        "Pennsylvania",
        ("America/New_York",),
        "FCEUA (73 P.S. 2270.4(b), creditors too) 08:00-21:00 hours and the MVSFA (12 Pa.C.S. 6254) "
        "post-repossession notice read only in secondary sources",
    ),
    ("US-PR", "Puerto Rico", ("America/Puerto_Rico",), _TERRITORY),
    ("US-RI", "Rhode Island", ("America/New_York",), _NOT_RESEARCHED),
    ("US-SD", "South Dakota", ("America/Chicago", "America/Denver"), _NOT_RESEARCHED),
    ("US-TN", "Tennessee", ("America/Chicago", "America/New_York"), _NONE_FOUND),
    (
        "US-TX",
        "Texas",
        ("America/Chicago", "America/Denver"),
        "Tex. Fin. Code ch. 392 binds creditors (392.001(6)) but its conduct rules (392.302 harassment, "
        "392.301 threats) are standards without numbers; no cure notice",
    ),
    ("US-UT", "Utah", ("America/Denver",), _NOT_RESEARCHED),
    (
        "US-VA",
        "Virginia",
        ("America/New_York",),
        "no state FDCPA (Va. Code 18.2-213 simulated process only); " + _NONE_FOUND,
    ),
    ("US-VI", "U.S. Virgin Islands", ("America/St_Thomas",), _TERRITORY),
    ("US-VT", "Vermont", ("America/New_York",), _NOT_RESEARCHED),
    (
        "US-WA",
        "Washington",
        ("America/Los_Angeles",),
        "RCW 19.16.250 (licensed collection agencies): 3 communications a week, 1 a week at work, home "
        "07:30-21:00; the subsection text was not read (DFI summary only)",
    ),
    ("US-WY", "Wyoming", ("America/Denver",), _NOT_RESEARCHED),
)
