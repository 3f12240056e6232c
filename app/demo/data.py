"""Who the demo site is made of: authors, staff accounts, named members and how often groups
vote. How each group answers each poll is in the article's own data file."""

SEED = 20240917

STAFF_ACCOUNTS = (
    # username, password, staff level, community role, discipline
    ("demo_member", "demo-member-2024", "member", "client", None),
    ("demo_moderator", "demo-moderator-2024", "moderator", "professional", "counselor"),
    ("demo_editor", "demo-editor-2024", "editor", "reader", None),
    ("demo_admin", "demo-admin-2024", "admin", "reader", None),
)

AUTHORS = (
    {
        "slug": "northbridge-counseling-collective",
        "display_name": "Northbridge Counseling Collective",
        "organisation": "Northbridge Counseling Collective",
        "location": "Asheville, NC",
        "credentials": "LMHC, LPC, BCC",
        "bio": "A group practice of licensed counselors in western North Carolina that "
        "supervises and trains new clinicians. We write about the questions our trainees "
        "bring to supervision.",
    },
    {
        "slug": "harbor-lane-psychotherapy-group",
        "display_name": "Harbor Lane Psychotherapy Group",
        "organisation": "Harbor Lane Psychotherapy Group",
        "location": "Portland, Maine",
        "credentials": "PsyD, LCSW, CPC",
        "bio": "Psychologists, social workers and coaches offering individual, couples and "
        "family therapy on the Maine coast, with a weekly ethics consultation group.",
    },
    {
        "slug": "ridgeway-center-for-clinical-training",
        "display_name": "Ridgeway Center for Clinical Training",
        "organisation": "Ridgeway Center for Clinical Training",
        "location": "Madison, Wisconsin",
        "credentials": "LPC, NCC, ACS",
        "bio": "A training clinic that places counseling students in rural and small-town "
        "practices across the upper Midwest, and supervises them there.",
    },
)

# Members who write the demo discussions. Badges and stances are shown as each chose.
PERSONAS = (
    # username, role, discipline, verified, credentials, show_role_badge, show_stance
    ("quiet_harbor", "client", None, False, None, True, True),
    ("maple_and_tea", "client", None, False, None, True, False),
    ("second_chapter", "client", None, False, None, False, True),
    ("lanternlight", "client", None, False, None, True, True),
    ("northwind_j", "client", None, False, None, False, False),
    ("small_town_sam", "client", None, False, None, True, False),
    ("paper_boats", "client", None, False, None, False, False),
    ("counselor_ines", "professional", "counselor", True, "LPC", True, True),
    ("rivera_lcsw", "professional", "social_worker", True, "LCSW", True, False),
    ("okafor_psyd", "professional", "psychologist", True, "PsyD", True, True),
    ("hollis_mft", "professional", "psychotherapist", True, "LMFT", True, False),
    ("coach_dana", "professional", "coach", False, "CPC", True, True),
    ("trainee_marcus", "professional", "counselor", False, "Counseling intern", True, False),
    ("rural_beth", "professional", "counselor", True, "LCPC", True, True),
    ("anand_md", "professional", "psychiatrist", True, "MD, psychiatry", True, False),
    ("curious_reader", "reader", None, False, None, False, False),
    ("ethics_student", "reader", None, False, None, False, True),
)

# Generated members besides the personas: (role, discipline, how many, share verified).
# Psychiatrists and coaches stay few on purpose, so small-cell suppression is visible.
GENERATED_MEMBERS = (
    ("client", None, 38, 0.0),
    ("reader", None, 22, 0.0),
    ("professional", "counselor", 12, 0.6),
    ("professional", "psychologist", 7, 0.7),
    ("professional", "social_worker", 7, 0.5),
    ("professional", "psychotherapist", 4, 0.5),
    ("professional", "psychiatrist", 1, 1.0),
    ("professional", "coach", 2, 0.0),
    ("professional", "other", 2, 0.0),
)

USERNAME_WORDS = (
    (
        "amber",
        "birch",
        "cedar",
        "cobalt",
        "coral",
        "dawn",
        "ember",
        "fern",
        "harbor",
        "hazel",
        "indigo",
        "juniper",
        "linen",
        "meadow",
        "misty",
        "oak",
        "pebble",
        "quill",
        "river",
        "sage",
        "slate",
        "sparrow",
        "tidal",
        "willow",
    ),
    (
        "reader",
        "walker",
        "notes",
        "lamp",
        "path",
        "garden",
        "kettle",
        "compass",
        "lantern",
        "window",
        "bridge",
        "journal",
        "harvest",
        "shore",
        "orchard",
        "field",
    ),
)

# How likely each group is to vote in a poll, and to come back and change its answer.
TURNOUT = {"client": 0.8, "professional": 0.85, "reader": 0.55}
CHANGE_RATE = 0.08
ANONYMOUS_VOTES = 24
