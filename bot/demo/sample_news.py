"""Sample news for the demo and tests, written for newsdigest (every place, person and company here
is invented). Several stories are covered by three or more outlets from different angles; some
items are single-outlet; one story is the same wire copy republished by two outlets.

`hours_ago` is relative to when the demo runs, so the stories are always fresh.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Outlet:
    slug: str
    name: str
    site: str
    format: str  # rss2, atom, jsonfeed, rss1


@dataclass(frozen=True, slots=True)
class Item:
    outlet: str
    story: str  # the intended story, used by tests to check clustering; never shown
    title: str
    text: str
    hours_ago: float


OUTLETS: tuple[Outlet, ...] = (
    Outlet("harbor-times", "The Harbor Times", "https://harbortimes.example", "rss2"),
    Outlet("northern-ledger", "Northern Ledger", "https://ledger.example", "atom"),
    Outlet("civic-wire", "Civic Wire", "https://civicwire.example", "rss2"),
    Outlet("daily-meridian", "Daily Meridian", "https://meridian.example", "jsonfeed"),
    Outlet("tech-current", "Tech Current", "https://techcurrent.example", "atom"),
    Outlet("market-pulse", "Market Pulse", "https://marketpulse.example", "rss1"),
    Outlet("riverside-gazette", "Riverside Gazette", "https://gazette.example", "rss2"),
)

# A feed that answers with broken XML: the demo shows it failing without stopping the others.
BROKEN_OUTLET = Outlet("broken-bugle", "The Broken Bugle", "https://bugle.example", "broken")

WIRE_TEXT = (
    "Firefighters have fully contained the Dunmore Ridge wildfire after six days, the regional "
    "fire service said on Tuesday. The blaze burned about 2,300 hectares of forest and destroyed "
    "four barns, but no homes were lost. Evacuation orders for the villages of Alder Gap and "
    "Westfold were lifted at noon."
)

ITEMS: tuple[Item, ...] = (
    # --- Nordland funds a national AI model (4 outlets) ---
    Item(
        "harbor-times",
        "nordland-ai",
        "Nordland pledges 4 billion crowns for a national AI model",
        "The government of Nordland will spend up to 4 billion crowns on a homegrown AI foundation "
        "model built by a consortium of seven domestic companies, the ministry of industry said on "
        "Monday. Telecom group Nordtel will lead the effort, with carmaker Valken and shipbuilder "
        "Osterhavn among the partners. Officials said the model will focus on industrial uses "
        "rather than a general chatbot.",
        5.0,
    ),
    Item(
        "tech-current",
        "nordland-ai",
        "Nordland's sovereign AI bet: Nordtel leads seven-company model consortium",
        "Nordland wants its own foundation model, and it is putting 4 billion crowns behind the "
        "idea. Nordtel will lead a consortium of seven companies that plans to train on factory "
        "and shipping data. The research lab Fjordmind is named as technical partner, a detail "
        "the ministry's statement left out. The first model is due in 2028.",
        4.2,
    ),
    Item(
        "market-pulse",
        "nordland-ai",
        "Nordtel shares rise 6% after leading state-backed AI consortium",
        "Shares in Nordtel rose 6% on Monday after the telecom group was named leader of a "
        "state-funded AI consortium. Analysts at Brenning Bank said the 4 billion crown programme "
        "could lift Nordtel's cloud revenue by a fifth by 2029. Nordtel is also the largest "
        "customer of the American lab Corvid AI, putting it on both sides of the sovereignty debate.",
        3.5,
    ),
    Item(
        "daily-meridian",
        "nordland-ai",
        "National AI model will be open to every Nordland company, minister says",
        "The AI model funded by Nordland's government will be licensed to all domestic firms, not "
        "only the seven founding members, industry minister Ingrid Solberg said. She said the "
        "consortium will hire 150 engineers at launch and keep its training data on servers "
        'inside the country for security reasons. "A model that learns from our factories '
        'should not depend on servers abroad," Solberg said.',
        2.8,
    ),
    # --- Velm River floods (3 outlets) ---
    Item(
        "riverside-gazette",
        "velm-flood",
        "Velm River bursts its banks, thousands evacuated in Kessington",
        "About 3,000 residents of Kessington were evacuated overnight after the Velm River rose "
        "two metres above its normal level. Emergency crews used boats to reach homes in the "
        "low-lying Millbank district. The mayor, Tomas Hale, said the town's flood barrier had "
        'been overtopped for the first time since it was built in 2009. "We planned for a '
        'hundred-year flood and got something worse," Hale said.',
        9.0,
    ),
    Item(
        "harbor-times",
        "velm-flood",
        "Floods force evacuation of Kessington as Velm River overtops barrier",
        "Rising water on the Velm River forced the evacuation of thousands of people in "
        "Kessington on Sunday night. Forecasters expect another 40 millimetres of rain by "
        "Tuesday. Two schools have been turned into shelters and the main rail line to the coast "
        "is closed.",
        8.0,
    ),
    Item(
        "civic-wire",
        "velm-flood",
        "Insurers brace for claims as Velm flooding swamps Kessington homes",
        "Insurers expect claims from the Kessington floods to exceed 120 million crowns, the "
        "Insurance Federation said, as water from the Velm River filled hundreds of basements. "
        "Residents of the Millbank district said the flood barrier had been due for an upgrade "
        "that was postponed twice for lack of funds.",
        6.5,
    ),
    # --- Chip export rules (3 outlets) ---
    Item(
        "market-pulse",
        "chip-exports",
        "Trade ministry tightens export rules on advanced chips",
        "Exporters of advanced semiconductors will need a licence for shipments to 14 countries "
        "under rules announced by the trade ministry on Monday. Chipmaker Silvane said the rules "
        "would affect about 8% of its sales. The measures take effect on March 1.",
        7.0,
    ),
    Item(
        "tech-current",
        "chip-exports",
        "New chip export licences will hit AI accelerators hardest",
        "The trade ministry's new licensing rules for advanced chips target AI accelerators and "
        "the machines used to make them, according to the published text. Chipmaker Silvane and "
        "equipment maker Lithex are the companies most exposed. Industry group ChipNord warned "
        "the rules could push customers to rival suppliers.",
        6.0,
    ),
    Item(
        "northern-ledger",
        "chip-exports",
        "Government defends chip export curbs as a security measure",
        "Trade minister Paul Arendt defended new export licences for advanced chips, saying the "
        "rules protect national security without harming ordinary trade. Opposition lawmakers "
        "said the ministry had not consulted the chip industry before announcing the licensing "
        'rules on Monday. "We heard about these rules on the radio like everyone else," said '
        "Karin Dahl, who leads the opposition on the trade committee.",
        5.5,
    ),
    # --- Central bank holds rates (3 outlets) ---
    Item(
        "market-pulse",
        "rates-hold",
        "Central bank holds key interest rate at 3.5%",
        "The central bank kept its main interest rate at 3.5% on Thursday, as expected by most "
        "economists. Governor Lena Marsh said inflation, at 2.9% in October, was falling more "
        "slowly than hoped. The crown weakened slightly after the decision.",
        20.0,
    ),
    Item(
        "northern-ledger",
        "rates-hold",
        "Central bank leaves rates unchanged, signals cut possible in spring",
        "The central bank left its key rate unchanged at 3.5% but governor Lena Marsh said a cut "
        "was possible in the spring if wage growth slows. Two of the seven board members voted "
        "for an immediate cut of a quarter point.",
        19.0,
    ),
    Item(
        "daily-meridian",
        "rates-hold",
        "Homeowners wait longer for relief as central bank holds rate",
        "Mortgage holders face more months of high payments after the central bank held its rate "
        "at 3.5%. The Homeowners Association said a typical family pays 2,100 crowns a month more "
        "than two years ago.",
        18.0,
    ),
    # --- Lunar lander (4 outlets) ---
    Item(
        "tech-current",
        "lunar-lander",
        "Kestrel-2 lander touches down near the Moon's south pole",
        "The private lunar lander Kestrel-2, built by Skyforge Dynamics, landed near the Moon's "
        "south pole on Wednesday, making Skyforge the second private company to land intact. "
        "The lander carries a drill designed to look for water ice under the surface.",
        11.0,
    ),
    Item(
        "harbor-times",
        "lunar-lander",
        "Skyforge's Kestrel-2 lands on the Moon after nail-biting descent",
        "Mission controllers at Skyforge Dynamics cheered as Kestrel-2 confirmed a soft landing "
        "near the lunar south pole. A radar glitch had delayed the descent by two hours. Chief "
        'executive Mara Quinn said the first drilling would start within days. "We came down two '
        'hours late and exactly where we aimed," Quinn told reporters at the control centre.',
        10.5,
    ),
    Item(
        "daily-meridian",
        "lunar-lander",
        "Moon landing by Skyforge lander puts private space race in spotlight",
        "The landing of Skyforge's Kestrel-2 lander on the Moon shows how quickly private firms "
        "are catching up with national space agencies. The mission cost about 90 million dollars, "
        "a fraction of earlier government programmes.",
        10.0,
    ),
    Item(
        "northern-ledger",
        "lunar-lander",
        "Kestrel-2 lands near lunar south pole carrying university ice drill",
        "Skyforge Dynamics' Kestrel-2 landed near the Moon's south pole, carrying an ice drill "
        "designed by students at the University of Bergholm. The university said the drill could "
        "reach one metre below the lunar surface.",
        9.5,
    ),
    # --- Metro strike (2 outlets) ---
    Item(
        "civic-wire",
        "metro-strike",
        "Brightwater metro workers announce 48-hour strike over pay",
        "Metro workers in Brightwater will strike for 48 hours from Friday after pay talks broke "
        "down, the transport union said. The city's four metro lines carry about 600,000 "
        "passengers a day.",
        4.0,
    ),
    Item(
        "riverside-gazette",
        "metro-strike",
        "Brightwater braces for metro shutdown as strike talks collapse",
        "Commuters in Brightwater face two days without metro trains after the transport union "
        "called a 48-hour strike. The city will add 200 extra buses, transport chief Omar Reyes "
        "said, but warned of long queues.",
        3.0,
    ),
    # --- Wildfire: wire copy republished + one independent report ---
    Item(
        "civic-wire",
        "wildfire",
        "Dunmore Ridge wildfire contained, evacuation orders lifted",
        WIRE_TEXT,
        6.0,
    ),
    Item(
        "riverside-gazette",
        "wildfire",
        "Dunmore Ridge wildfire contained, evacuation orders lifted",
        WIRE_TEXT,
        5.8,
    ),
    Item(
        "northern-ledger",
        "wildfire",
        "Dunmore wildfire: farmers count losses as fire is contained",
        "Farmers near Dunmore Ridge said the wildfire, now contained, destroyed winter feed for "
        "hundreds of cattle. The regional fire service said dry autumn weather and strong winds "
        "had made the fire hard to control.",
        5.0,
    ),
    # --- Quill database release (2 outlets) ---
    Item(
        "tech-current",
        "quill-release",
        "Quill 5 database release adds vector search",
        "The open-source database project Quill released version 5, adding built-in vector "
        "search and a new storage engine that its developers say halves disk use.",
        14.0,
    ),
    Item(
        "harbor-times",
        "quill-release",
        "Open-source database Quill reaches version 5 with vector search",
        "Quill, the open-source database maintained by a foundation in Lindholm, shipped version "
        "5 with vector search for AI applications. The project now has more than 900 "
        "contributors.",
        13.0,
    ),
    # --- Malaria vaccine (3 outlets) ---
    Item(
        "daily-meridian",
        "malaria-vaccine",
        "Health agency approves new malaria vaccine for children",
        "The International Health Agency approved a new malaria vaccine for children under five, "
        "clearing the way for use in 12 countries next year. The vaccine, developed by Veridia "
        "Labs, cut severe cases by 71% in trials.",
        16.0,
    ),
    Item(
        "civic-wire",
        "malaria-vaccine",
        "Malaria vaccine for children wins approval after large trial",
        "A malaria vaccine made by Veridia Labs won approval from the International Health "
        "Agency after a trial in 18,000 children. Each dose will cost under 4 dollars, the "
        "company said.",
        15.0,
    ),
    Item(
        "riverside-gazette",
        "malaria-vaccine",
        "Doctors welcome approval of Veridia malaria vaccine, warn of supply gaps",
        "Doctors welcomed the approval of Veridia Labs' malaria vaccine for children but warned "
        "that production of 20 million doses a year would not meet demand. The International "
        'Health Agency said donors had pledged funding for the first rollout. "Twenty million '
        'doses sounds like a lot until you count the children who need three each," said '
        "paediatrician Amara Obi.",
        14.5,
    ),
    # --- Single-outlet items ---
    Item(
        "riverside-gazette",
        "library-hours",
        "Central library to open on Sundays from next month",
        "The central library will open on Sundays from 10:00 to 16:00 starting next month, the "
        "council said, after a petition signed by 2,400 residents.",
        7.5,
    ),
    Item(
        "northern-ledger",
        "museum-clock",
        "City museum unveils restored 18th-century astronomical clock",
        "The city museum unveiled a restored astronomical clock built in 1762, after a "
        "three-year restoration by watchmakers from the guild of Oster.",
        12.0,
    ),
    Item(
        "market-pulse",
        "ferry-tender",
        "Ferry operator Blueline wins coastal route tender",
        "Ferry company Blueline won a ten-year contract to run the coastal route between Harbor "
        "City and the Skerry Islands, the transport agency said.",
        2.0,
    ),
    # An item injecting chat markup: the renderers must show it as text, never as a mention.
    Item(
        "civic-wire",
        "council-vote",
        "Council vote on harbour parking fees delayed <!channel> @everyone",
        "The city council delayed its vote on new harbour parking fees to next week. "
        "<@U123> *urgent* [click](javascript:alert(1)) read more at <https://evil.example|bank>.",
        1.5,
    ),
)
