"""Fictional demo content for the two sister news sites.

Every person, company, team, organisation, country and event described
here is invented. Any resemblance to real people or events is accidental.
"""

from __future__ import annotations

# The readers' discussions under two Ledger stories, and short ones under recent
# stories on both sites, live in their own module.
from .discussion import COMMENTERS, CROWD, HEATED, RECENT_THREADS  # noqa: F401

# Reads in an article's busiest hour, for the least and the most read demo stories:
# the hourly counts behind the trending lists are drawn between them (readership.py).
# The demo's partner website (newsroom/demo/partner/) may embed the Ledger's threads.
EMBED_PARTNER = True

# Moving in (newsroom.interchange, newsroom.wire): a discussion from the Ledger's old
# site, imported from a Disqus export in newsroom/demo/data/, and an agency feed
# served with the demo's static files, which the scheduler polls.
IMPORTED_DISCUSSION = {
    "site": "ledger",
    "export": "ledger-disqus.xml",
    "path": "national/saitamas-osone-light-railway-to-close-after-94-years/",
    "old_hostname": "tokyoledger.example",
}
WIRE_FEED = {
    "site": "ledger",
    "section": "world",
    "agency": "Northline News Agency",
    "name": "Northline Asia-Pacific (the demo's sample feed)",
    "static_path": "demo/wire/northline.xml",
}

READERSHIP = (40, 1500)

SITES = [
    {
        "key": "ledger",
        "name": "The Tokyo Ledger",
        "hostname": "ledger.localhost",
        "publisher": "Ledger Media Inc.",
        "tagline": "Independent reporting from Tokyo, for readers everywhere.",
        "colour": "#b3261e",
        "sections": [
            ("world", "World"),
            ("national", "National"),
            ("business", "Business"),
            ("tech", "Tech"),
            ("sports", "Sports"),
            ("culture", "Culture"),
        ],
    },
    {
        "key": "courier",
        "name": "Kansai Evening Courier",
        "hostname": "courier.localhost",
        "publisher": "Courier Press Inc.",
        "tagline": "News from Osaka, Kobe and Kyoto, every evening.",
        "colour": "#0b5394",
        "sections": [
            ("world", "World"),
            ("national", "National"),
            ("business", "Business"),
            ("tech", "Tech"),
            ("sports", "Sports"),
        ],
    },
]

AGENCIES = [
    {
        "name": "Pacific Wire Service",
        "short": "PWS",
        "copyright": "Pacific Wire Service",
    },
    {"name": "Asia-Meridian Press", "short": "AMP", "copyright": "Asia-Meridian Press"},
    {
        "name": "Northline News Agency",
        "short": "NNA",
        "copyright": "Northline News Agency",
    },
]

AUTHORS = [
    # The Tokyo Ledger
    {
        "name": "Mariko Tanabe",
        "bio": "Mariko Tanabe is the Ledger's diplomatic correspondent. She has covered foreign policy and regional security from Tokyo for twelve years.",
        "site": "ledger",
    },
    {
        "name": "Hiroshi Kameda",
        "bio": "Hiroshi Kameda reports on national affairs, local government and disaster preparedness. He previously worked at a regional daily in Shizuoka.",
        "site": "ledger",
    },
    {
        "name": "Eleanor Whitcombe",
        "bio": "Eleanor Whitcombe is the Ledger's business editor, covering shipping, banking and corporate Japan.",
        "site": "ledger",
    },
    {
        "name": "Sota Mizushima",
        "bio": "Sota Mizushima writes about technology, start-ups and the semiconductor industry. He studied electrical engineering before turning to journalism.",
        "site": "ledger",
    },
    {
        "name": "Aiko Furuhata",
        "bio": "Aiko Furuhata is a sports writer covering baseball, rugby and distance running.",
        "site": "ledger",
    },
    {
        "name": "Thomas Brennick",
        "bio": "Thomas Brennick is the Ledger's culture critic. He writes about film, books and traditional crafts, and has lived in Tokyo since 2009.",
        "site": "ledger",
    },
    {
        "name": "Naomi Ishizaki",
        "bio": "Naomi Ishizaki works on the world desk, with a focus on elections, disasters and humanitarian affairs across the Asia-Pacific.",
        "site": "ledger",
    },
    {
        "name": "Kaito Hoshino",
        "bio": "Kaito Hoshino covers Tokyo city affairs, welfare and education.",
        "site": "ledger",
    },
    # Kansai Evening Courier
    {
        "name": "Kenji Urabe",
        "bio": "Kenji Urabe is the Courier's Osaka city hall reporter. He writes about transport, housing and local politics across Kansai.",
        "site": "courier",
    },
    {
        "name": "Rin Oshiro",
        "bio": "Rin Oshiro covers the Kansai economy, from small manufacturers in Higashi-Osaka to the region's utilities and retailers.",
        "site": "courier",
    },
    {
        "name": "Yuki Harakawa",
        "bio": "Yuki Harakawa is the Courier's chief sports writer, based in Kobe.",
        "site": "courier",
    },
    {
        "name": "Callum Ashdown",
        "bio": "Callum Ashdown writes about science and technology. He moved to Kyoto from Edinburgh a decade ago to research materials chemistry.",
        "site": "courier",
    },
    {
        "name": "Saori Minegishi",
        "bio": "Saori Minegishi edits the Courier's world pages and reports on diplomacy and trade links between Kansai and the wider region.",
        "site": "courier",
    },
    {
        "name": "Takumi Iwasawa",
        "bio": "Takumi Iwasawa is a reporter and photographer covering rural Kansai, fisheries and the mountain communities of Nara and Wakayama.",
        "site": "courier",
    },
]

ARTICLES = [
    # ------------------------------------------------------------------
    # The Tokyo Ledger - World
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "world",
        "headline": "Marenne recalls ambassador as Sorel Reef standoff with Kaliran deepens",
        "standfirst": "The island republic withdrew its envoy from the Kaliran capital overnight after a collision between patrol ships, prompting Tokyo to call for restraint and offer to host talks.",
        "authors": ["Mariko Tanabe", "Naomi Ishizaki"],
        "agency": None,
        "tags": ["diplomacy", "maritime", "fisheries", "marenne"],
        "hours_ago": 1,
        "photo": {
            "title": "Coast guard cutter near Sorel Reef",
            "caption": "FILE PHOTO: A Marennese coast guard cutter patrols near Sorel Reef, March 14, 2024. PWS/Ken Aoyama",
            "agency": "Pacific Wire Service",
            "photographer": "Ken Aoyama",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "The government of Marenne recalled its ambassador to the Kaliran Federation early on Thursday, sharply escalating a months-long dispute over fishing rights around Sorel Reef, a cluster of shoals that sits astride one of the busiest shipping lanes between Southeast Asia and the northern Pacific. The decision followed a collision late on Wednesday between a Marennese patrol vessel and a Kaliran fisheries protection ship, in which two crew members were injured.",
            ),
            (
                "paragraph",
                "Marenne's foreign ministry said in a statement that the Kaliran vessel had 'deliberately and repeatedly' obstructed a lawful inspection inside waters it considers part of its exclusive economic zone. Officials in the Kaliran capital, Tesh Varun, gave a starkly different account, saying the Marennese cutter had rammed their ship while it was escorting a convoy of family-owned trawlers that have worked the reef for generations.",
            ),
            ("subheading", "Tokyo urges calm"),
            (
                "paragraph",
                "Japan, which imports much of its liquefied natural gas through the sea lanes near the reef and has close ties with both governments, urged the two sides to return to negotiations. A foreign ministry spokesperson, Akane Shiraishi, told reporters in Tokyo that Japan was 'deeply concerned' and had offered to host a meeting of senior officials from both countries as early as next week.",
            ),
            (
                "quote",
                {
                    "text": "Nobody in the region benefits from a confrontation at sea. Both capitals know that, and both have told us privately that they want a way out.",
                    "attribution": "Akane Shiraishi, foreign ministry spokesperson",
                },
            ),
            (
                "paragraph",
                "Diplomats in Tokyo said the recall of an ambassador was the most serious step either country had taken since the two signed a provisional fisheries accord eleven years ago. That accord expired in January without renewal, leaving boats from both countries competing for dwindling stocks of tuna and squid with no agreed rules on where each could operate.",
            ),
            ("subheading", "Shipping and insurers watch closely"),
            (
                "paragraph",
                "The standoff has already begun to ripple through regional trade. Two large marine insurers have raised premiums for vessels passing within 30 nautical miles of the reef, and at least four tanker operators have begun routing their ships around the area, adding up to a day to voyages bound for ports in Japan and elsewhere in northeast Asia.",
            ),
            (
                "paragraph",
                "Analysts cautioned against reading the recall as a prelude to wider conflict. 'This is a signal aimed at domestic audiences as much as at Tesh Varun,' said Hana Okubo, a maritime law researcher at a private institute in Tokyo. 'The real question is whether the coast guards are given clearer instructions before the next encounter, because the next one could be worse.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "world",
        "headline": "Pacific trade ministers end Port Allard talks without deal on shipping levy",
        "standfirst": "Ministers from nine economies failed to agree on a shared fee for container ships, leaving a proposed climate adaptation fund for small island states in limbo.",
        "authors": ["Naomi Ishizaki"],
        "agency": "Pacific Wire Service",
        "tags": ["trade", "shipping", "diplomacy", "climate"],
        "hours_ago": 58,
        "photo": {
            "title": "Container ships at Port Allard",
            "caption": "Container ships wait at anchor outside Port Allard as trade ministers meet in the city. PWS/Paul Hendricks",
            "agency": "Pacific Wire Service",
            "photographer": "Paul Hendricks",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "Trade ministers from nine Pacific economies ended two days of talks in the port city of Port Allard on Saturday without agreement on a common levy for container ships, a proposal its backers say would raise money to help small island states adapt to rising seas. A closing statement said only that officials would 'continue technical work' and report back within six months.",
            ),
            (
                "paragraph",
                "The levy, set at a few dollars per container, has been under discussion for nearly three years. Supporters argue that it would spread the cost evenly across shippers and avoid a patchwork of national charges. Opponents, led by delegations with large export manufacturing sectors, said it would push up freight costs at a time when many exporters are already under pressure from weak demand.",
            ),
            ("subheading", "Island states frustrated"),
            (
                "paragraph",
                "Delegates from several smaller island nations expressed open frustration as the meeting closed. One negotiator, who asked not to be named because the talks were confidential, described the outcome as 'another promise to talk about talking'. Their governments had hoped to begin collecting money from the levy by the end of next year to pay for coastal defences and the relocation of vulnerable villages.",
            ),
            (
                "paragraph",
                "Host officials defended the result, saying the meeting had narrowed differences on how the money would be managed and which vessels would be exempt. A further round of talks is expected to take place in the spring, although no venue has yet been chosen and several delegations said they would need fresh instructions from their governments.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "world",
        "headline": "Early monsoon floods displace tens of thousands in Sundaran delta",
        "standfirst": "Relief agencies say more than 40,000 people have left their homes after rivers burst their banks two weeks ahead of the usual rainy season.",
        "authors": ["Naomi Ishizaki"],
        "agency": "Asia-Meridian Press",
        "tags": ["weather", "disaster", "aid", "climate"],
        "hours_ago": 84,
        "photo": {
            "title": "Floodwater in the Sundaran delta",
            "caption": "Residents wade through floodwater in a village near Pallan, in the Sundaran delta, June 9, 2024. AMP/Lena Marsh",
            "agency": "Asia-Meridian Press",
            "photographer": "Lena Marsh",
            "scene": "field",
        },
        "body": [
            (
                "paragraph",
                "Floods triggered by unusually early monsoon rains have forced more than 40,000 people from their homes in the low-lying delta region of the Sundaran Federation, relief officials said on Monday, as rivers continued to rise and forecasters warned of further heavy downpours through the rest of the week.",
            ),
            (
                "paragraph",
                "The worst-hit district, around the market town of Pallan, received more rain in four days than it normally does in a month, according to the national weather office. Roads into several villages have been cut, and boats operated by the army and local volunteers have become the only way to reach families stranded on rooftops and raised embankments.",
            ),
            (
                "paragraph",
                "Officials said at least 17 people had died, most of them swept away while trying to cross swollen streams. The figure is expected to rise as rescue teams reach more remote areas. Hospitals in Pallan said they were treating growing numbers of patients with diarrhoea and skin infections, and appealed for supplies of clean drinking water.",
            ),
            ("subheading", "Harvest at risk"),
            (
                "paragraph",
                "Agricultural experts warned that the timing of the floods could be especially damaging. Much of the delta's rice crop was planted only weeks ago and is now under water, raising the prospect of a poor harvest in a region that supplies a large share of the country's staple grain. The government has promised emergency payments to affected farmers but has not said how much they will receive.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "world",
        "headline": "Kaliran trawler crews kept in port as governments weigh next move",
        "standfirst": "Fishing families in Kaliran's southern harbours say they are losing income by the day, while officials insist the order to stay ashore is a temporary safety measure.",
        "authors": ["Mariko Tanabe", "Naomi Ishizaki", "Hiroshi Kameda"],
        "agency": None,
        "tags": ["diplomacy", "fisheries", "maritime", "marenne"],
        "hours_ago": 20,
        "photo": {
            "title": "Trawlers tied up in Kesh Amar",
            "caption": "FILE PHOTO: Trawlers moored in the harbour of Kesh Amar, Kaliran Federation, November 2, 2023. NNA/Jiro Tsukahara",
            "agency": "Northline News Agency",
            "photographer": "Jiro Tsukahara",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "Hundreds of fishing boats remained tied up in the Kaliran Federation's southern harbours on Wednesday after the fisheries ministry ordered crews to stay away from the waters around Sorel Reef, the disputed shoals at the centre of the federation's quarrel with neighbouring Marenne. The order, issued at the weekend, was described by the ministry as a precaution to avoid further confrontations at sea.",
            ),
            (
                "paragraph",
                "In the harbour town of Kesh Amar, where most households depend on the tuna and squid catch, skippers said the ban had come at the worst possible moment, at the start of the most lucrative season of the year. Several said they had borrowed money to repair engines and nets in preparation and now had no way of repaying the loans.",
            ),
            (
                "quote",
                {
                    "text": "We are told to be patient. But the fish do not wait for diplomats, and neither does the bank.",
                    "attribution": "Oren Dastagir, trawler captain in Kesh Amar",
                },
            ),
            ("subheading", "Compensation promised"),
            (
                "paragraph",
                "Kaliran's fisheries minister, Vashti Orlen, told parliament that the government would compensate crews for lost earnings if the restriction lasted more than two weeks. Opposition lawmakers accused the ministry of abandoning fishing communities in order to avoid being blamed for any escalation, and pointed out that the compensation scheme had not yet been costed or approved by the finance ministry.",
            ),
            (
                "paragraph",
                "Japanese officials, who have offered to host talks between the two sides, said on Wednesday that preliminary contacts had taken place but that no date had been set. Japan's embassy in Tesh Varun has advised Japanese nationals working on foreign-flagged fishing and cargo vessels in the region to follow instructions from local maritime authorities.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "world",
        "headline": "Reformist bloc claims narrow lead in Vellmark election as count drags on",
        "standfirst": "Partial results put the opposition alliance just ahead of the governing party, but postal votes from rural districts could still change the outcome.",
        "authors": ["Naomi Ishizaki"],
        "agency": "Northline News Agency",
        "tags": ["elections", "vellmark"],
        "hours_ago": 140,
        "photo": {
            "title": "Counting ballots in Aldergrad",
            "caption": "Election officials count ballots at a polling station in Aldergrad, Vellmark, May 5, 2024. NNA/Jiro Tsukahara",
            "agency": "Northline News Agency",
            "photographer": "Jiro Tsukahara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "An alliance of reformist parties in Vellmark claimed a narrow lead on Monday in the country's general election, with roughly two thirds of ballots counted, in what would be the first change of government in the small northern European state for more than a decade. The electoral commission said a full result was unlikely before the end of the week.",
            ),
            (
                "paragraph",
                "Partial figures gave the Civic Renewal alliance 38.4 percent of the vote against 36.9 percent for the governing National Unity party, led by Prime Minister Aurel Kastner. Turnout was estimated at 71 percent, the highest in a generation, which analysts attributed to an unusually bitter campaign dominated by housing costs and a long-running dispute over border crossings.",
            ),
            (
                "paragraph",
                "Kastner told supporters in the capital, Aldergrad, that it was 'far too early' to concede, noting that postal votes from rural districts, where his party traditionally performs strongly, had not yet been counted. The leader of Civic Renewal, Ilka Brandvold, said her alliance would begin informal coalition talks with two smaller parties regardless of the final tally.",
            ),
            (
                "paragraph",
                "Election monitors from a regional observer mission said voting had been largely orderly and well administered. They noted long queues in several urban districts, however, and isolated complaints from voters who said they had been turned away from polling stations because their names were missing from the registers.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # The Tokyo Ledger - National
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "national",
        "headline": "Shizuoka town of Hamasaki votes to raise its seawall by three metres",
        "standfirst": "After two years of debate, the town assembly backed a costly plan that supporters say will protect homes but critics fear will cut residents off from the sea they live by.",
        "authors": ["Hiroshi Kameda"],
        "agency": None,
        "tags": ["harbour", "disaster", "localgov"],
        "hours_ago": 8,
        "photo": {
            "title": "Hamasaki harbour",
            "caption": "Fishing boats moored behind the existing seawall in Hamasaki, Shizuoka prefecture.",
            "agency": None,
            "photographer": "Nao Sakuraba",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "The assembly of Hamasaki, a fishing town of about 9,000 people on the Shizuoka coast, voted on Tuesday evening to raise the height of the seawall protecting its harbour by three metres, ending two years of often emotional debate over how best to prepare for a large tsunami. The measure passed by 11 votes to 5.",
            ),
            (
                "paragraph",
                "The project, estimated to cost 6.8 billion yen, will be funded largely by the prefectural and national governments. Construction is due to begin next spring and take around four years. Town officials said the new wall would be designed to withstand waves of the height projected in the most recent hazard assessment, which was revised upwards after new seabed surveys.",
            ),
            ("subheading", "A view lost"),
            (
                "paragraph",
                "Opponents, many of them older fishermen and owners of small inns that depend on visitors, argued that a higher wall would block views of the sea and make it harder to judge conditions in the harbour. Some had pushed instead for moving homes to higher ground and improving evacuation routes, a cheaper option which they said had worked in other coastal communities.",
            ),
            (
                "quote",
                {
                    "text": "We are not against safety. We are asking whether people will still want to live in a town that cannot see the water.",
                    "attribution": "Shigeru Matsunaga, head of the Hamasaki fishing cooperative",
                },
            ),
            (
                "paragraph",
                "Mayor Yoko Arisawa said the town would include viewing platforms and several glass-panelled sections in the design, and would continue to fund regular evacuation drills. 'No wall is a guarantee,' she told reporters after the vote. 'But our duty is to give people the best protection we can, and more time to escape if the worst happens.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "national",
        "headline": "Nagano villages turn shuttered schools into clinics as populations age",
        "standfirst": "Empty classrooms are being fitted with examination rooms and physiotherapy equipment in a scheme officials hope will keep doctors in remote mountain communities.",
        "authors": ["Hiroshi Kameda", "Eleanor Whitcombe"],
        "agency": None,
        "tags": ["health", "ageing", "rural"],
        "hours_ago": 75,
        "photo": {
            "title": "A school reborn as a clinic",
            "caption": "The former Kamisawa elementary school, now a community clinic, in Nagano prefecture.",
            "agency": None,
            "photographer": "Nao Sakuraba",
            "scene": "mountains",
        },
        "body": [
            (
                "paragraph",
                "For almost a century, the two-storey wooden building at the top of Kamisawa village rang with the noise of children. The last class graduated eight years ago. Now the former staff room is a waiting area, the music room holds two physiotherapy beds, and a doctor from the nearest town visits three days a week.",
            ),
            (
                "paragraph",
                "Kamisawa is one of six communities in the mountains of northern Nagano prefecture taking part in a prefectural scheme that converts closed schools into small clinics and day centres for elderly residents. The prefecture pays for the renovation, while municipalities cover running costs with help from a national fund for depopulated areas.",
            ),
            ("subheading", "Keeping doctors close"),
            (
                "paragraph",
                "Health officials said the aim was not only to reuse buildings but to make rural postings more attractive for doctors and nurses, who often leave after short assignments. The clinics share electronic records and video links with a hospital in the valley, allowing specialists to consult remotely and reducing the number of long trips patients must make in winter.",
            ),
            (
                "paragraph",
                "Residents said the change had been bittersweet. Many attended the school themselves, and some of the old class photographs still hang in the corridor. 'It is a little sad to come here for blood tests instead of sports days,' said one 81-year-old patient. 'But it is better than watching the building fall down.'",
            ),
            (
                "paragraph",
                "The prefecture plans to extend the scheme to a further eight sites over the next three years, though officials acknowledged that recruiting enough staff remained the biggest challenge. Two of the existing clinics currently rely on a single nurse and a part-time clerk, and cannot open when either is ill.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "national",
        "headline": "Saitama's Osone Light Railway to close after 94 years",
        "standfirst": "The operator says falling passenger numbers and ageing bridges have made the 14-kilometre line impossible to sustain; buses will replace trains from April.",
        "authors": ["Hiroshi Kameda"],
        "agency": "Pacific Wire Service",
        "tags": ["rail", "transport", "rural"],
        "hours_ago": 160,
        "photo": {
            "title": "A two-car train in the rice fields",
            "caption": "FILE PHOTO: A two-car train crosses rice fields on the Osone Light Railway in Saitama prefecture, August 22, 2023. PWS/Paul Hendricks",
            "agency": "Pacific Wire Service",
            "photographer": "Paul Hendricks",
            "scene": "field",
        },
        "body": [
            (
                "paragraph",
                "The Osone Light Railway, a 14-kilometre line linking farming towns in northern Saitama prefecture, will close at the end of March after 94 years of service, its operator announced on Friday. The company said daily ridership had fallen below 600 passengers, less than a quarter of the level recorded in the early 1990s, and that the line could no longer cover its running costs.",
            ),
            (
                "paragraph",
                "The railway carried generations of students and farm produce to the junction with the main line at Kitamine. In recent years its two-car diesel trains have drawn a small but loyal following among rail enthusiasts, some of whom travel from Tokyo at weekends to photograph them crossing the rice fields.",
            ),
            (
                "paragraph",
                "The operator said a detailed inspection last year found that two bridges and a section of embankment would require major repairs within five years, at a cost it estimated at more than 3 billion yen. Local governments along the route had provided subsidies since 2011 but declined to commit to funding the repairs.",
            ),
            (
                "quote",
                {
                    "text": "The train is how this town tells the time. When it stops running, something of the town stops too.",
                    "attribution": "Hisako Uemura, owner of a shop beside Osone station",
                },
            ),
            ("subheading", "Buses to take over"),
            (
                "paragraph",
                "A replacement bus service will run from April on a route that closely follows the railway, with additional stops near a hospital and a shopping centre. Officials said the buses would run more frequently than the trains, though residents have raised concerns about journey times on narrow roads in winter and the loss of a direct connection for students.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "national",
        "headline": "Tokyo ward opens overnight cooling shelters after record September heat",
        "standfirst": "Community centres in eastern Tokyo will stay open through the night for residents without air conditioning, as temperatures refuse to fall after dark.",
        "authors": ["Kaito Hoshino"],
        "agency": None,
        "tags": ["weather", "health", "tokyo", "climate"],
        "hours_ago": 64,
        "photo": {
            "title": "A cooling shelter in Shin-Kawabata",
            "caption": "Folding beds set out in a community centre in the Shin-Kawabata neighbourhood of eastern Tokyo.",
            "agency": None,
            "photographer": "Nao Sakuraba",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "A ward in eastern Tokyo began keeping four community centres open overnight this week so that elderly residents and others without working air conditioning can sleep in cool rooms, after the city recorded its hottest September nights since records began. Officials said 37 people used the shelters on the first night, most of them over 70.",
            ),
            (
                "paragraph",
                "The centres, in the densely populated Shin-Kawabata neighbourhood, provide folding beds, drinking water and a nurse on call. Staff from the ward's welfare department have also been visiting residents who live alone to check on them and hand out information about the service, which is free and requires no advance booking.",
            ),
            ("subheading", "Nights that do not cool"),
            (
                "paragraph",
                "Meteorologists say the problem is less the daytime peaks than the nights. Overnight minimum temperatures in central Tokyo have stayed above 28 degrees Celsius on eleven nights this month, conditions in which the body struggles to recover from the heat of the day. Ambulance calls for heatstroke in the capital have risen by about a third compared with the same period last year.",
            ),
            (
                "paragraph",
                "Ward officials said the trial would run until the end of the month and could be repeated next summer if demand justified the cost. Some residents said they had been reluctant to use the shelters at first. 'I did not want to be a bother,' said a woman in her late seventies. 'But my flat is like an oven. Here I actually slept.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "national",
        "headline": "Teachers in Hokkaido town reject plan to shorten summer holidays",
        "standfirst": "The board of education in Shirakaba wanted an extra week of lessons to make up for snow closures. Teachers say they are already stretched too thin.",
        "authors": ["Kaito Hoshino", "Hiroshi Kameda"],
        "agency": None,
        "tags": ["education", "rural"],
        "hours_ago": 230,
        "photo": {
            "title": "Shirakaba in winter",
            "caption": "A primary school in Shirakaba, Hokkaido, surrounded by birch forest.",
            "agency": None,
            "photographer": "Emi Tachibana",
            "scene": "forest",
        },
        "body": [
            (
                "paragraph",
                "Teachers in the Hokkaido town of Shirakaba have voted overwhelmingly against a proposal by the local board of education to cut the summer holiday by a week, saying the change would add to workloads that are already among the heaviest in the prefecture. Of 142 teachers who took part in the ballot organised by their union, 131 voted against the plan.",
            ),
            (
                "paragraph",
                "The board argued that the extra week was needed to make up for lessons lost in winter, when heavy snow has forced the town's schools to close on an average of six days a year over the past decade. It also said that many parents, especially those working in the town's dairy and food processing plants, struggled to arrange childcare during the long break.",
            ),
            ("subheading", "Workload concerns"),
            (
                "paragraph",
                "Union representatives said teachers already spend much of the summer holiday on training, club activities and administrative work, and that the break was one of the few periods in which they could rest. They proposed instead that the town invest in remote learning equipment so that lessons could continue online on snow days.",
            ),
            (
                "paragraph",
                "The board is not bound by the ballot and will make a final decision next month. Its chair, Tetsuya Honjo, said he would meet union representatives before then and was 'open to alternatives', but added that the concerns of working parents could not simply be ignored.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # The Tokyo Ledger - Business
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "business",
        "headline": "Sorano Freight posts first annual loss in a decade as container rates slide",
        "standfirst": "The Yokohama-based shipping group blamed weak demand and a glut of new vessels, and said it would cut capacity on its trans-Pacific routes.",
        "authors": ["Eleanor Whitcombe"],
        "agency": None,
        "tags": ["shipping", "markets", "companies"],
        "hours_ago": 5,
        "photo": {
            "title": "Containers at a Yokohama terminal",
            "caption": "FILE PHOTO: Containers stacked at a terminal operated by Sorano Freight Lines in Yokohama, January 18, 2024. PWS/Ken Aoyama",
            "agency": "Pacific Wire Service",
            "photographer": "Ken Aoyama",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "Sorano Freight Lines, one of Japan's mid-sized container shipping groups, on Thursday reported a net loss of 18.2 billion yen for the year to March, its first annual loss in ten years, as freight rates fell sharply from recent highs. Revenue fell 23 percent to 412 billion yen. The company's shares ended the day down 6 percent in Tokyo.",
            ),
            (
                "paragraph",
                "The Yokohama-based group said a wave of new, larger ships ordered across the industry had come into service just as demand for consumer goods cooled, pushing down the price of moving a container across the Pacific by more than half over the past year. Fuel costs, meanwhile, remained stubbornly high.",
            ),
            ("subheading", "Routes trimmed"),
            (
                "paragraph",
                "In response, Sorano will withdraw four vessels from its trans-Pacific services and merge two weekly loops between Japan and the west coast of North America. It will also delay delivery of three ships on order by up to eighteen months, a step it said would reduce capital spending by around 40 billion yen over two years.",
            ),
            (
                "quote",
                {
                    "text": "We expected a correction. We did not expect it to be this fast or this deep.",
                    "attribution": "Kazuhiro Enoki, president of Sorano Freight Lines",
                },
            ),
            (
                "paragraph",
                "Analysts said the results were broadly in line with expectations but that the company's forecast of a return to profit next year looked optimistic. 'The capacity overhang is not going away soon,' said Miyu Kanda, a transport analyst at a Tokyo brokerage. 'Carriers that keep costs under control will survive, but margins will be thin for a while.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "business",
        "headline": "Hoshizora Regional Bank to merge with two smaller lenders",
        "standfirst": "The three banks say combining will help them cope with shrinking local populations and years of thin lending margins; the deal still needs regulatory approval.",
        "authors": ["Eleanor Whitcombe", "Hiroshi Kameda"],
        "agency": None,
        "tags": ["companies", "markets", "rural"],
        "hours_ago": 96,
        "photo": {
            "title": "Hoshizora Regional Bank headquarters",
            "caption": "The headquarters of Hoshizora Regional Bank in Niigata.",
            "agency": None,
            "photographer": "Emi Tachibana",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Hoshizora Regional Bank, based in Niigata, said on Monday that it would merge with two smaller lenders from neighbouring prefectures to create one of the largest regional banking groups on the Sea of Japan coast, with combined deposits of around 9 trillion yen. The banks will form a holding company next October and fully integrate their operations within three years.",
            ),
            (
                "paragraph",
                "The chief executives of the three banks told a joint news conference that the merger was necessary to secure their futures in regions where populations are ageing and shrinking, and where demand for loans from small businesses has been weak for years. The combined group plans to close or consolidate about 60 of its 310 branches, but said there would be no compulsory redundancies.",
            ),
            ("subheading", "Pressure on regional lenders"),
            (
                "paragraph",
                "Regional banks across Japan have been under pressure to consolidate as their traditional business of taking deposits and lending to local companies has become less profitable. Several have merged in recent years, encouraged by regulators who have relaxed competition rules for mergers between lenders operating in the same region.",
            ),
            (
                "paragraph",
                "Local business groups gave the deal a cautious welcome, but some small firms expressed concern that a larger bank would pay less attention to their needs. The banks said they would keep local brand names on branches for at least five years and maintain separate lending committees for each prefecture.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "business",
        "headline": "Yen steadies as exporters buy ahead of quarter-end",
        "standfirst": "The Japanese currency recovered some of last week's losses, with dealers citing repatriation flows and cautious comments from a central bank board member.",
        "authors": ["Eleanor Whitcombe"],
        "agency": "Northline News Agency",
        "tags": ["markets", "currency"],
        "hours_ago": 12,
        "photo": {
            "title": "Exchange rates on a dealing room screen",
            "caption": "FILE PHOTO: A screen showing exchange rates in a dealing room in Tokyo, February 2, 2024. NNA/Jiro Tsukahara",
            "agency": "Northline News Agency",
            "photographer": "Jiro Tsukahara",
            "scene": "chart",
        },
        "body": [
            (
                "paragraph",
                "The yen held steady against the dollar on Tuesday, recovering part of last week's decline as Japanese exporters converted overseas earnings ahead of the end of the quarter. Dealers in Tokyo said trading was relatively thin, with many investors waiting for a series of economic data releases later in the week before taking new positions.",
            ),
            (
                "paragraph",
                "The currency had weakened for four straight sessions last week after figures showed consumer spending in Japan falling for a second month, reinforcing expectations that interest rates would stay low for some time. Comments on Monday by a central bank board member, who said policymakers were 'watching currency moves closely', helped to steady the market.",
            ),
            (
                "paragraph",
                "Strategists said the outlook remained uncertain. 'The yen is caught between low domestic rates and a lot of nervousness about the global picture,' said a currency strategist at a foreign bank in Tokyo. 'Quarter-end flows give it some support, but that tends to fade quickly in the first days of the new quarter.'",
            ),
            (
                "paragraph",
                "Japanese shares were little changed in afternoon trading, with gains among retailers and utilities offsetting losses in electronics makers and carmakers, which are sensitive to currency movements. Government bond yields edged lower as investors sought safer assets ahead of the data releases.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "business",
        "headline": "Fifth-generation soy sauce maker bets on kitchens abroad",
        "standfirst": "A small brewery on the Kagawa coast now sells a third of its output overseas, but its owner says keeping its cedar barrels in use is the harder task.",
        "authors": ["Eleanor Whitcombe", "Thomas Brennick"],
        "agency": None,
        "tags": ["crafts", "trade", "history", "companies"],
        "hours_ago": 300,
        "photo": {
            "title": "The coast at Kotohama",
            "caption": "The harbour at Kotohama, Kagawa prefecture, home of Yamabuki Shoyu since 1871.",
            "agency": None,
            "photographer": "Emi Tachibana",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "Behind a plain wooden gate in the Kagawa town of Kotohama, 48 cedar barrels taller than a man hold soy sauce that will not be ready for two years. Yamabuki Shoyu has made it this way since 1871, and its fifth-generation owner, Haruka Yamabuki, says she has no intention of speeding things up, even as demand from overseas grows faster than the brewery can supply.",
            ),
            (
                "paragraph",
                "Exports now account for about a third of the company's sales, up from almost nothing a decade ago. Most go to restaurants and specialist shops in Europe and North America, where chefs are willing to pay several times the price of mass-produced sauce for a product with a traceable origin. The company has also started selling small bottles through online shops.",
            ),
            ("subheading", "Barrels and the people who make them"),
            (
                "paragraph",
                "The biggest threat to the business, Yamabuki says, is not competition but the disappearance of the craftsmen who build and repair the barrels. Only a handful of workshops in Japan still make them, and several of the coopers are in their seventies. Three years ago the brewery joined other producers in funding an apprenticeship at one such workshop.",
            ),
            (
                "quote",
                {
                    "text": "The microbes that give our sauce its flavour live in the wood. If the barrels go, the taste goes with them.",
                    "attribution": "Haruka Yamabuki, owner of Yamabuki Shoyu",
                },
            ),
            (
                "paragraph",
                "Local officials hope the company's success will encourage other family firms along the coast. The town has set up a small subsidy to help producers translate labels and attend overseas trade fairs, and two neighbouring breweries applied in its first year. Officials say they hope to expand the scheme to include makers of noodles and dried fish.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # The Tokyo Ledger - Tech
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "tech",
        "headline": "Sendai start-up's shoebox-sized satellite sends back first images",
        "standfirst": "Hoshinami Orbital says its Suzume-1 cubesat is working as planned, a milestone for a company founded four years ago by university researchers.",
        "authors": ["Sota Mizushima"],
        "agency": None,
        "tags": ["startups", "science"],
        "hours_ago": 54,
        "photo": {
            "title": "Tohoku mountains seen from orbit",
            "caption": "Mountains in the Tohoku region photographed by the Suzume-1 satellite. Handout image from Hoshinami Orbital.",
            "agency": None,
            "photographer": "Hoshinami Orbital (handout)",
            "scene": "mountains",
        },
        "body": [
            (
                "paragraph",
                "A satellite about the size of a shoebox built by Hoshinami Orbital, a start-up based in Sendai, has transmitted its first images from orbit, the company said on Wednesday. The satellite, named Suzume-1, was launched last month as one of several small payloads on a rideshare mission and was released into an orbit about 520 kilometres above the Earth.",
            ),
            (
                "paragraph",
                "The first pictures show the mountains of the Tohoku region and the coastline north of Sendai at a resolution of about five metres, which the company said was in line with its design goals. Engineers spent the first three weeks after launch testing the satellite's power system and stabilising its orientation before switching on the camera.",
            ),
            ("subheading", "Eyes on farmland"),
            (
                "paragraph",
                "Hoshinami, which employs 23 people, plans to sell images to farming cooperatives and local governments that want to monitor crop growth, snow cover and damage after natural disasters. The company hopes to launch a further six satellites over the next three years, which would allow it to photograph the same area several times a day.",
            ),
            (
                "paragraph",
                "Founder Ryota Kasai, a former researcher in aerospace engineering, said the company's main challenge now was funding. It raised 1.2 billion yen from investors last year and is seeking a similar amount to pay for the next batch of satellites. 'A working satellite makes that conversation much easier,' he said.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "tech",
        "headline": "Chiba hospitals restore systems a week after ransomware attack",
        "standfirst": "Three hospitals run by Seiryo Medical Group had been forced to divert ambulances and revert to paper records.",
        "authors": ["Sota Mizushima"],
        "agency": "Pacific Wire Service",
        "tags": ["digital", "health"],
        "hours_ago": 60,
        "photo": {
            "title": "Ambulance outside a Chiba hospital",
            "caption": "FILE PHOTO: An ambulance outside a hospital in Chiba prefecture, November 7, 2023. PWS/Ken Aoyama",
            "agency": "Pacific Wire Service",
            "photographer": "Ken Aoyama",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Three hospitals in Chiba prefecture operated by Seiryo Medical Group said on Sunday that they had restored most of their computer systems, a week after a ransomware attack forced them to suspend some emergency admissions and switch to handwritten records. Outpatient services will return to normal from Monday, the group said, though some appointments would need to be rescheduled.",
            ),
            (
                "paragraph",
                "The attack, discovered in the early hours of the previous Sunday, encrypted servers holding electronic patient records, appointment systems and billing data. The group said it had not paid a ransom and was working with police and outside security specialists to determine how the attackers got in. It said there was no evidence so far that patient data had been published online.",
            ),
            ("subheading", "Paper and pens"),
            (
                "paragraph",
                "Staff described a difficult week. Nurses wrote medication charts by hand, and doctors had to telephone laboratories for test results that would normally appear on screen. Ambulances were diverted to other hospitals for several days, adding to pressure on emergency departments elsewhere in the prefecture.",
            ),
            (
                "quote",
                {
                    "text": "We trained for earthquakes and floods. We had not really trained for the day the screens went dark.",
                    "attribution": "Senior nurse at a Seiryo Medical Group hospital",
                },
            ),
            (
                "paragraph",
                "Security experts said hospitals had become frequent targets because they rely on older systems that are difficult to update and cannot afford long outages. The health ministry has urged medical institutions to keep offline backups and to review their connections to outside contractors, which have been the entry point in several recent attacks.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "tech",
        "headline": "Nagisa Microdevices to build second chip plant in Kumamoto",
        "standfirst": "The power-chip maker will invest 320 billion yen in a factory producing components for electric vehicles and industrial motors, creating around 900 jobs.",
        "authors": ["Sota Mizushima", "Eleanor Whitcombe"],
        "agency": None,
        "tags": ["manufacturing", "companies", "energy"],
        "hours_ago": 190,
        "photo": {
            "title": "A silicon carbide wafer",
            "caption": "FILE PHOTO: A silicon carbide wafer on display at a Nagisa Microdevices showroom in Tokyo, October 3, 2023. AMP/Mei Kisaragi",
            "agency": "Asia-Meridian Press",
            "photographer": "Mei Kisaragi",
            "scene": "circuit",
        },
        "body": [
            (
                "paragraph",
                "Nagisa Microdevices, a maker of power semiconductors used in electric vehicles and factory equipment, said on Thursday it would build a second plant in Kumamoto prefecture at a cost of 320 billion yen. The factory, on a site next to its existing plant in the hills east of Kumamoto city, is expected to start production in 2028 and employ around 900 people.",
            ),
            (
                "paragraph",
                "Power chips control the flow of electricity in motors, chargers and inverters, and demand for them has grown rapidly with the spread of electric cars and renewable energy. Nagisa said the new plant would produce chips on silicon carbide, a material that handles higher voltages than conventional silicon and is increasingly used in vehicle drivetrains.",
            ),
            ("subheading", "Water and workers"),
            (
                "paragraph",
                "The area has attracted a series of large factory investments in recent years, drawn by plentiful groundwater and an established network of suppliers. But local officials and residents have raised concerns about water use, traffic and a shortage of workers, with some companies reporting difficulty filling engineering jobs and rents in nearby towns rising sharply.",
            ),
            (
                "paragraph",
                "Nagisa said the plant would recycle more than 80 percent of its process water and that it would fund a training programme with a local technical college. The company expects to apply for government subsidies for part of the investment, though it declined to say how much it would seek.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "tech",
        "headline": "Yokohama assembly debates limits on AI tools in city paperwork",
        "standfirst": "A draft ordinance would require staff to disclose when generative software helps draft documents sent to residents. Supporters say it builds trust; critics call it unworkable.",
        "authors": ["Sota Mizushima", "Kaito Hoshino", "Hiroshi Kameda"],
        "agency": None,
        "tags": ["digital", "localgov"],
        "hours_ago": 260,
        "photo": {
            "title": "Yokohama city hall",
            "caption": "The Yokohama city assembly chamber during Monday's debate.",
            "agency": None,
            "photographer": "Emi Tachibana",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Members of the Yokohama city assembly began debating a draft ordinance on Monday that would require city employees to disclose when generative artificial intelligence tools have been used to draft letters, notices or reports sent to residents. If passed, the measure would be among the first of its kind adopted by a large Japanese municipality.",
            ),
            (
                "paragraph",
                "The city introduced AI writing assistants in several departments last year as part of an effort to reduce overtime, and officials say the tools have cut the time spent on routine correspondence by about a fifth. But a series of errors, including a notice that gave residents the wrong date for a tax deadline, prompted calls for clearer rules.",
            ),
            ("subheading", "Disclosure or distraction"),
            (
                "paragraph",
                "Under the draft, documents produced with the help of AI would carry a short note saying so, and a named employee would remain responsible for checking their accuracy. Departments would also have to keep records of how the tools were used. Supporters said the rules would protect residents and make staff accountable for what the city sends out.",
            ),
            (
                "quote",
                {
                    "text": "Residents have a right to know who, or what, is writing to them. A human being must always sign off.",
                    "attribution": "Natsuki Oda, assembly member who drafted the ordinance",
                },
            ),
            (
                "paragraph",
                "Opponents in the assembly argued that the disclosure notes would confuse residents and add paperwork to a system meant to reduce it. Some city officials also questioned how 'use' would be defined, noting that spell-checkers and translation software already rely on similar technology. A committee vote is expected next month.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # The Tokyo Ledger - Sports
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "sports",
        "headline": "Meridians clinch pennant with 11th-inning win over Frostbirds",
        "standfirst": "A two-run single by rookie Daiki Onodera sealed Tokyo's first league title in nine years in front of a sell-out crowd.",
        "authors": ["Aiko Furuhata"],
        "agency": None,
        "tags": ["baseball", "tokyo"],
        "hours_ago": 14,
        "photo": {
            "title": "Meridians celebrate the pennant",
            "caption": "Tokyo Meridians players rush onto the field after Daiki Onodera's winning hit.",
            "agency": None,
            "photographer": "Ryo Kanzaki",
            "scene": "stadium",
        },
        "body": [
            (
                "paragraph",
                "The Tokyo Meridians clinched their first league pennant in nine years on Saturday night, beating the Sendai Frostbirds 5-3 in 11 innings in front of a sell-out crowd of 42,000. Rookie outfielder Daiki Onodera delivered the decisive blow, a two-run single to left field with two outs that sent the home dugout spilling onto the field.",
            ),
            (
                "paragraph",
                "The game had looked to be slipping away in the ninth, when the Frostbirds tied it at 3-3 on a solo home run by veteran catcher Masato Hirai off Tokyo closer Shun Amemiya. But the Meridians' bullpen held firm for two more innings, with left-hander Kota Ibuki retiring all six batters he faced.",
            ),
            ("subheading", "From last to first"),
            (
                "paragraph",
                "The title completes a remarkable turnaround for a club that finished bottom of the league two seasons ago. Manager Takeshi Nomaguchi, in his second year in charge, rebuilt the pitching staff around young starters and gave regular playing time to several players promoted from the farm team, including Onodera, who is 21.",
            ),
            (
                "paragraph",
                "'I just tried not to think about the crowd,' Onodera said afterwards, his uniform soaked in celebratory beer. 'The pitcher threw me a slider on the first pitch and I thought, if he throws it again, I am swinging.' The Meridians will have home advantage throughout the playoffs, which begin in two weeks.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "sports",
        "headline": "Ashida breaks course record at Suwa Lakeside Marathon",
        "standfirst": "The 27-year-old finished more than a minute inside the previous best, putting herself in contention for a national team place.",
        "authors": ["Aiko Furuhata"],
        "agency": "Asia-Meridian Press",
        "tags": ["athletics"],
        "hours_ago": 110,
        "photo": {
            "title": "Runners on the lakeshore",
            "caption": "Runners pass the lakeshore during the Suwa Lakeside Marathon in Nagano prefecture, April 14, 2024. AMP/Lena Marsh",
            "agency": "Asia-Meridian Press",
            "photographer": "Lena Marsh",
            "scene": "mountains",
        },
        "body": [
            (
                "paragraph",
                "Keiko Ashida broke the women's course record at the Suwa Lakeside Marathon in Nagano prefecture on Sunday, finishing in 2 hours 22 minutes 41 seconds to win by almost three minutes. The previous record, set six years ago, stood at 2:23:55. Cool, overcast conditions and light winds around the lake helped produce fast times throughout the field.",
            ),
            (
                "paragraph",
                "Ashida, 27, who runs for a corporate team based in Gifu, broke away from a leading group of five shortly after the 25-kilometre mark and ran alone for the rest of the race. Her second half was faster than her first, a sign, her coach said, that she still had more in reserve.",
            ),
            (
                "paragraph",
                "The men's race was won by Yuto Kiriyama in 2:09:12, a personal best, after a sprint finish against Genki Morooka, who was two seconds behind. Around 11,000 runners took part, a record for the event, which in its 38th year has grown from a small local race into one of the most popular spring marathons in central Japan.",
            ),
            (
                "paragraph",
                "Ashida's time puts her among the fastest Japanese women of the season and strengthens her case for selection to the national team for next year's international championships. 'I wanted to show I could run at this level on my own,' she said. 'Now I need to do it against the best in the world.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "sports",
        "headline": "Chofu Thunder edge Sagamihara Kestrels in bruising league opener",
        "standfirst": "A late penalty from fly-half Liam Tavake gave the defending champions a 23-20 win in a match dominated by two heavy packs.",
        "authors": ["Aiko Furuhata", "Kaito Hoshino"],
        "agency": None,
        "tags": ["rugby", "tokyo"],
        "hours_ago": 200,
        "photo": {
            "title": "Scrum in Chofu",
            "caption": "The Chofu Thunder and Sagamihara Kestrels packs pack down for a scrum in the second half.",
            "agency": None,
            "photographer": "Ryo Kanzaki",
            "scene": "stadium",
        },
        "body": [
            (
                "paragraph",
                "The Chofu Thunder began the defence of their league title with a hard-fought 23-20 victory over the Sagamihara Kestrels on Saturday, fly-half Liam Tavake kicking a penalty from 40 metres with two minutes remaining. A crowd of 18,600, the largest for an opening-round match in the league's history, watched a contest dominated by the forwards.",
            ),
            (
                "paragraph",
                "The Kestrels led 20-13 with fifteen minutes to play after a driving maul finished by hooker Naoya Kumagai. But Chofu responded almost immediately, flanker Taiga Sunohara crashing over from close range after a series of pick-and-go drives. Tavake converted to level the scores and then held his nerve for the winning kick.",
            ),
            ("subheading", "Injury worry for champions"),
            (
                "paragraph",
                "The win came at a cost. Chofu captain and lock Ryuji Hasebe left the field in the first half with a knee injury and will undergo a scan on Monday. Head coach Graham Pellow said it was too early to say how long Hasebe would be out but admitted the club would struggle to replace his lineout skills and leadership.",
            ),
            (
                "paragraph",
                "Sagamihara's coach, Hideo Matsuoka, said he was proud of his side but frustrated by a string of penalties conceded at the breakdown. 'We gave them too many chances to relieve pressure,' he said. 'Against a team like Chofu, you cannot do that and expect to win.' The Kestrels host the Kanazawa Snowlions next weekend.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "sports",
        "headline": "Kawasaki Tidewater dismiss manager after ten games without a win",
        "standfirst": "Hiroki Sawamura leaves with the club second from bottom; assistant Noboru Ishiguro takes charge on an interim basis.",
        "authors": ["Aiko Furuhata"],
        "agency": None,
        "tags": ["football"],
        "hours_ago": 350,
        "photo": {
            "title": "Empty seats at Tidewater's ground",
            "caption": "Kawasaki Tidewater supporters hold up banners during the 3-0 home defeat by Nagoya Crimson Foxes.",
            "agency": None,
            "photographer": "Ryo Kanzaki",
            "scene": "stadium",
        },
        "body": [
            (
                "paragraph",
                "Kawasaki Tidewater FC dismissed manager Hiroki Sawamura on Tuesday after a run of ten league matches without a win left the club second from bottom of the table. The decision came a day after a 3-0 home defeat by the Nagoya Crimson Foxes, during which sections of the crowd chanted for the manager's departure.",
            ),
            (
                "paragraph",
                "Sawamura, 49, was appointed two seasons ago and led the club to a fifth-place finish in his first year, its best result for more than a decade. But the departure of key players in the close season, including the team's top scorer and first-choice goalkeeper, left the squad short of experience, and a series of injuries in defence compounded the problems.",
            ),
            (
                "paragraph",
                "Club president Junko Fukami thanked Sawamura for his work and said the board had made the decision 'with great reluctance'. Assistant coach Noboru Ishiguro, a former Tidewater midfielder, will take charge for the next two matches while the club searches for a permanent replacement.",
            ),
            ("subheading", "Relegation fight"),
            (
                "paragraph",
                "With 14 matches remaining, Tidewater are three points from safety. Their next fixture is away to the Niigata Wildgeese, another struggling side, in what supporters are already calling the most important game of the season. The transfer window reopens next month, and the club has said funds will be available to strengthen the squad.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # The Tokyo Ledger - Culture
    # ------------------------------------------------------------------
    {
        "site": "ledger",
        "section": "culture",
        "headline": "Restored silent film from 1920s Asakusa draws packed house",
        "standfirst": "'The Lantern Maker's Daughter', thought lost for decades, was screened with live narration a few streets from where it was made.",
        "authors": ["Thomas Brennick"],
        "agency": None,
        "tags": ["arts", "history", "tokyo"],
        "hours_ago": 80,
        "photo": {
            "title": "Queue for the screening",
            "caption": "Filmgoers queue outside a theatre in Asakusa before the screening of 'The Lantern Maker's Daughter'.",
            "agency": None,
            "photographer": "Nao Sakuraba",
            "scene": "night",
        },
        "body": [
            (
                "paragraph",
                "For almost eighty years, 'The Lantern Maker's Daughter' existed only as a title in old studio catalogues and a handful of publicity stills. On Saturday evening the silent melodrama, made in 1927 by a small studio in Tokyo's Asakusa district, was shown to a full house of 320 people at a theatre a few streets from where it was filmed.",
            ),
            (
                "paragraph",
                "The film was rediscovered three years ago when a collector in Kobe donated a box of nitrate reels found in the storeroom of a former cinema. Conservators at a private film archive spent more than two years copying and repairing the badly shrunken footage, frame by frame. About 70 minutes survive of what was originally a 90-minute feature.",
            ),
            ("subheading", "A narrator's voice"),
            (
                "paragraph",
                "In keeping with the practice of the time, the screening was accompanied by a benshi, a live narrator who voices the characters and explains the action, along with a small ensemble playing shamisen, violin and piano. Narrator Chiyo Amagasa said she had written her script using the original intertitles and a synopsis printed in a 1927 fan magazine.",
            ),
            (
                "quote",
                {
                    "text": "You are not just watching a film. You are hearing how an audience a century ago would have laughed and cried at it.",
                    "attribution": "Chiyo Amagasa, benshi narrator",
                },
            ),
            (
                "paragraph",
                "Organisers said further screenings would be held in Osaka and Kyoto next spring, and the archive plans to release a digital version with English subtitles. Its director, Masaaki Tomioka, said the discovery showed that more lost films might be waiting in attics and storerooms. 'Every time we say a film is gone forever,' he said, 'someone proves us wrong.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "culture",
        "headline": "Kanazawa lacquer workshops take on apprentices as masters near retirement",
        "standfirst": "A city-funded programme pairs young artisans with veteran craftspeople, but a shortage of domestic lacquer sap remains a stubborn problem.",
        "authors": ["Thomas Brennick", "Naomi Ishizaki"],
        "agency": None,
        "tags": ["crafts", "arts", "history"],
        "hours_ago": 120,
        "photo": {
            "title": "Lacquer trees near Kanazawa",
            "caption": "FILE PHOTO: A craftsman taps sap from lacquer trees in a plantation near Kanazawa, June 20, 2023. AMP/Mei Kisaragi",
            "agency": "Asia-Meridian Press",
            "photographer": "Mei Kisaragi",
            "scene": "forest",
        },
        "body": [
            (
                "paragraph",
                "In a narrow workshop in Kanazawa's old merchant quarter, 26-year-old Mio Sakakibara spends most of her days sanding the same wooden bowl. It will receive more than twenty coats of lacquer before it is finished, each applied by hand and left to cure in a humid cabinet. Her teacher, Isamu Tokiwa, is 78 and has been doing this work for six decades.",
            ),
            (
                "paragraph",
                "Sakakibara is one of eleven apprentices in a programme launched by the city two years ago to pair young people with master craftspeople in traditional trades. Apprentices receive a monthly stipend for up to five years, and workshops receive a subsidy to cover materials and the time masters spend teaching rather than producing work for sale.",
            ),
            ("subheading", "A shortage of sap"),
            (
                "paragraph",
                "The programme addresses one problem facing the industry but not another: the scarcity of domestic lacquer. Most lacquer used in Japan is imported, and the number of people who tap sap from lacquer trees has dwindled to a few dozen. The city has begun planting trees on former farmland in the hills nearby, though they will take at least a decade to mature.",
            ),
            (
                "paragraph",
                "Tokiwa said he had doubted at first whether young people would have the patience for the work. 'In the first year, you mostly learn how little you know,' he said. 'But she comes back every morning, and she asks good questions. That is the most important skill there is.'",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "culture",
        "headline": "Review: 'The Salt Road' is a quiet, unforgettable novel about memory and work",
        "standfirst": "Emi Korenaga's third novel, newly translated into English, follows three generations of a family of salt makers on the Inland Sea.",
        "authors": ["Thomas Brennick"],
        "agency": None,
        "tags": ["arts", "history"],
        "hours_ago": 170,
        "photo": {
            "title": "The Inland Sea coast",
            "caption": "The Inland Sea coast in Hyogo prefecture, where much of 'The Salt Road' is set.",
            "agency": None,
            "photographer": "Emi Tachibana",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "Emi Korenaga's third novel opens with a woman raking wet sand on a salt field at dawn and ends, four hundred pages later, with her granddaughter standing on the same shore, now lined with warehouses. In between, 'The Salt Road' traces the slow disappearance of a way of life with a patience and precision that make it one of the most rewarding novels of the year.",
            ),
            (
                "paragraph",
                "The book is divided into three parts, each narrated by a different generation of the Muraoka family. Korenaga is especially good on physical labour: the ache of carrying seawater in wooden buckets, the smell of the boiling houses, the anxious watching of the sky in a wet summer. These passages could easily have become sentimental, but she resists the temptation to romanticise hardship.",
            ),
            ("subheading", "A careful translation"),
            (
                "paragraph",
                "The English translation by Gwen Hartley is clear and unfussy, preserving the rhythms of the original without straining for effect. She wisely leaves some of the technical vocabulary of the salt fields untranslated and explains it in a brief glossary, which readers unfamiliar with the trade will find useful.",
            ),
            (
                "paragraph",
                "If the final section feels a little rushed, with a subplot about a property developer resolved too neatly, it hardly detracts from the achievement. 'The Salt Road' is a book about how places hold memories long after the people who made them have gone, and it lingers in the mind in much the same way.",
            ),
        ],
    },
    {
        "site": "ledger",
        "section": "culture",
        "headline": "Bayside Jazz Weekend draws record crowds to Yokohama waterfront",
        "standfirst": "More than 85,000 people attended the two-day festival, which added free stages in warehouses and on moored boats this year.",
        "authors": ["Thomas Brennick", "Sota Mizushima", "Aiko Furuhata"],
        "agency": None,
        "tags": ["arts", "harbour", "tourism"],
        "hours_ago": 320,
        "photo": {
            "title": "Jazz on the waterfront",
            "caption": "A band performs on the open-air stage at the Bayside Jazz Weekend in Yokohama.",
            "agency": None,
            "photographer": "Ryo Kanzaki",
            "scene": "night",
        },
        "body": [
            (
                "paragraph",
                "The Bayside Jazz Weekend in Yokohama drew more than 85,000 visitors over two days, organisers said on Monday, the largest attendance in the festival's 22-year history. Performances were held on 14 stages across the city's harbour district, including converted brick warehouses, a public park and, for the first time, two passenger boats moored along the quay.",
            ),
            (
                "paragraph",
                "The programme mixed established names from Japan's jazz scene with student big bands and visiting groups from several countries. Saturday's highlight was a late-night set by the pianist Reiko Nagatsuka and her trio, which drew an audience that spilled out of a warehouse hall onto the waterfront, where the music was relayed by loudspeakers.",
            ),
            ("subheading", "Free stages, full streets"),
            (
                "paragraph",
                "Organisers attributed the record turnout partly to an increase in free performances, which now account for about half of the programme. Restaurants and bars in the area reported their busiest weekend of the year, though some residents complained of noise and crowding on the narrow streets around the main stage late on Saturday night.",
            ),
            (
                "quote",
                {
                    "text": "Jazz grew up in the streets and in the port towns. It feels right to bring it back to the water.",
                    "attribution": "Shinji Tamaru, festival director",
                },
            ),
            (
                "paragraph",
                "Next year's festival will be held over three days for the first time, the organisers said, with afternoon programmes aimed at children and families and a series of workshops for young musicians. The city has pledged additional funding for transport and crowd management.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # Kansai Evening Courier - World
    # ------------------------------------------------------------------
    {
        "site": "courier",
        "section": "world",
        "headline": "Kobe port braces for delays as Sorel Reef dispute diverts tankers",
        "standfirst": "Shipping agents in Kansai expect fuel and gas deliveries to arrive up to a day late as vessels steer clear of the disputed shoals.",
        "authors": ["Saori Minegishi", "Rin Oshiro"],
        "agency": None,
        "tags": ["maritime", "shipping", "kobe", "marenne"],
        "hours_ago": 3,
        "photo": {
            "title": "Tankers off Kobe",
            "caption": "Tankers at anchor off Kobe port on Thursday morning.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "Port operators and shipping agents in Kobe are preparing for delays to fuel and gas deliveries after several tanker operators began steering their vessels away from the waters around Sorel Reef, where a dispute between Marenne and the Kaliran Federation escalated sharply overnight with the recall of Marenne's ambassador.",
            ),
            (
                "paragraph",
                "The detour adds between 12 and 24 hours to voyages from Southeast Asia, according to agents, and the effect is expected to reach Kansai ports from early next week. 'Schedules here are tight, and a day's delay for one tanker pushes back the next berth,' said Hideaki Morimura, who runs a shipping agency in Kobe's Higashinada ward.",
            ),
            ("subheading", "Costs passed on"),
            (
                "paragraph",
                "Higher insurance premiums for vessels sailing near the reef are also expected to be passed on to importers. Naniwa Power & Light, which buys liquefied natural gas for power stations around Osaka Bay, said it had sufficient stocks for several weeks and did not expect any impact on electricity supply, but would monitor the situation closely.",
            ),
            (
                "paragraph",
                "Kobe city officials said the port was well placed to absorb short delays but warned that a prolonged disruption could affect manufacturers in the region that rely on just-in-time deliveries of chemicals and other raw materials. The city has asked its port authority to prepare a contingency plan for reallocating berths if ship arrivals bunch together.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "world",
        "headline": "Aid flights resume to storm-hit Tolan Islands as runway reopens",
        "standfirst": "Relief supplies began arriving in the Pacific archipelago four days after Cyclone Maru damaged the main airport and cut power to most of the capital.",
        "authors": ["Saori Minegishi"],
        "agency": "Pacific Wire Service",
        "tags": ["disaster", "aid", "weather"],
        "hours_ago": 54,
        "photo": {
            "title": "Relief cargo in Nalua",
            "caption": "FILE PHOTO: A cargo aircraft unloads relief supplies at Nalua airport in the Tolan Islands, September 30, 2023. PWS/Paul Hendricks",
            "agency": "Pacific Wire Service",
            "photographer": "Paul Hendricks",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "Aid flights began landing in the Tolan Islands on Tuesday after engineers cleared debris from the runway at the main airport in Nalua, the capital, four days after Cyclone Maru swept across the Pacific archipelago with winds of up to 200 kilometres an hour. The first aircraft carried water purification equipment, tarpaulins and medical supplies.",
            ),
            (
                "paragraph",
                "The islands' disaster management office said at least nine people had died and around 6,000 were sheltering in schools and churches. Power remained cut to most of Nalua, and communications with several outer islands had only partly been restored. Officials said they feared damage to crops and fishing boats would cause hardship long after emergency needs were met.",
            ),
            (
                "paragraph",
                "Several governments in the region, including Japan, have pledged emergency assistance. Japan's foreign ministry said it would provide tents, generators and water tanks, and was preparing to send a small team of disaster medical specialists if requested. Aid groups said the priority was clean water, as many wells had been contaminated by seawater pushed inland by the storm.",
            ),
            ("subheading", "Outer islands hard to reach"),
            (
                "paragraph",
                "Relief workers said reaching the outer islands would be the biggest challenge. Many have no airstrip and rely on small boats for supplies, and several jetties were damaged in the storm. A patrol vessel loaned by a neighbouring government was expected to begin ferrying food, water and fuel to the most isolated communities later in the week.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "world",
        "headline": "Vellmark's new coalition pledges to reopen border crossings",
        "standfirst": "Prime Minister-designate Ilka Brandvold said three crossings closed by the previous government would reopen within 100 days.",
        "authors": ["Saori Minegishi"],
        "agency": "Northline News Agency",
        "tags": ["elections", "vellmark", "diplomacy"],
        "hours_ago": 90,
        "photo": {
            "title": "Ilka Brandvold in Aldergrad",
            "caption": "Ilka Brandvold speaks to reporters in Aldergrad, Vellmark, May 12, 2024. NNA/Jiro Tsukahara",
            "agency": "Northline News Agency",
            "photographer": "Jiro Tsukahara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Vellmark's incoming coalition government said on Friday that it would reopen three border crossings closed by its predecessor within 100 days of taking office, as it published a joint programme agreed by the three parties that will make up the new administration. The reformist Civic Renewal alliance, which narrowly won last week's general election, will hold nine of fifteen cabinet posts.",
            ),
            (
                "paragraph",
                "Ilka Brandvold, who is expected to be confirmed as prime minister by parliament next week, told reporters in Aldergrad that the closures had damaged trade and divided families living in border towns. The previous government shut the crossings two years ago, citing smuggling and a lack of staff to carry out checks.",
            ),
            (
                "paragraph",
                "The coalition programme also promises a national housing fund, a review of the state broadcaster's governance and more spending on rail links to the country's north. Outgoing Prime Minister Aurel Kastner, whose National Unity party lost power after eleven years, said the plans were unaffordable and would leave the border 'open to abuse'.",
            ),
            (
                "paragraph",
                "Neighbouring governments welcomed the announcement on border crossings, and officials on both sides said technical talks on staffing, customs procedures and shared inspection facilities could begin within weeks. Business groups in the border regions, which have lobbied for the reopening since the closures, said they hoped trade would recover quickly.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "world",
        "headline": "Osaka signs port cooperation pact with Marenne's capital",
        "standfirst": "The agreement covers training, data-sharing and cleaner ship fuels, and comes as Marenne seeks closer ties with Japanese trading partners.",
        "authors": ["Kenji Urabe", "Saori Minegishi", "Rin Oshiro"],
        "agency": None,
        "tags": ["trade", "osaka", "harbour", "marenne"],
        "hours_ago": 250,
        "photo": {
            "title": "Cranes on Osaka Bay",
            "caption": "Gantry cranes at a container terminal on Osaka Bay.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "harbour",
        },
        "body": [
            (
                "paragraph",
                "The port authorities of Osaka and Port Seraine, the capital of the island republic of Marenne, signed a cooperation agreement on Tuesday covering staff training, data-sharing and the development of cleaner fuels for ships. The agreement was signed at a ceremony at Osaka city hall attended by Marenne's trade minister, Celeste Ardouin, and a delegation of business leaders.",
            ),
            (
                "paragraph",
                "Under the five-year agreement, engineers from Port Seraine will spend time at Osaka's container terminals to learn about automated cargo handling, while the two ports will share information on vessel movements to reduce waiting times. They will also study the feasibility of supplying ammonia and methanol as fuel for ships calling at both ports.",
            ),
            ("subheading", "Trade ties growing"),
            (
                "paragraph",
                "Trade between the Kansai region and Marenne has grown steadily over the past decade, driven by exports of machinery and processed food from Japan and imports of tuna, timber and minerals. Ardouin said her government hoped the agreement would encourage more Japanese companies to invest in Marenne's ports, which are being expanded with the help of international development loans.",
            ),
            (
                "quote",
                {
                    "text": "Our two cities are both gateways. When gateways talk to each other, goods and people move more easily.",
                    "attribution": "Celeste Ardouin, Marenne's trade minister",
                },
            ),
            (
                "paragraph",
                "Osaka officials said the agreement was commercial rather than political and noted that the city had similar arrangements with ports in several other countries. Asked about tensions between Marenne and its neighbour over fishing grounds, Ardouin said the issue was 'a matter for diplomats' and should not be allowed to affect trade.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # Kansai Evening Courier - National
    # ------------------------------------------------------------------
    {
        "site": "courier",
        "section": "national",
        "headline": "Osaka assembly approves late-night bus network",
        "standfirst": "Six routes will run until 2:30 a.m. from next April, aimed at hospitality and hospital workers who finish after the last train.",
        "authors": ["Kenji Urabe"],
        "agency": None,
        "tags": ["transport", "osaka", "tourism"],
        "hours_ago": 6,
        "photo": {
            "title": "A late bus in Namba",
            "caption": "A city bus waits at a stop in Namba late at night.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "night",
        },
        "body": [
            (
                "paragraph",
                "The Osaka city assembly on Wednesday approved a plan to run buses on six routes until 2:30 a.m., creating the city's first regular late-night public transport network. The service, which will begin next April as a two-year trial, links the Namba and Umeda entertainment districts with residential areas in the north, east and south of the city.",
            ),
            (
                "paragraph",
                "City officials said the network was aimed mainly at people working in restaurants, bars, hotels and hospitals, many of whom finish after the last trains have left and either pay for taxis or sleep at their workplaces. The buses will also be open to visitors and will charge a flat fare of 400 yen, double the daytime fare.",
            ),
            ("subheading", "Drivers in short supply"),
            (
                "paragraph",
                "The main obstacle, officials acknowledged, is finding drivers. Bus operators across Japan are struggling to recruit staff, and the city's transport bureau cut daytime services on several routes last year. The bureau plans to offer a premium to drivers working night shifts and is in talks with private operators about sharing the routes.",
            ),
            (
                "quote",
                {
                    "text": "People who keep this city running at night should not have to choose between a taxi fare and sleeping on the office floor.",
                    "attribution": "Fumika Tsuji, Osaka assembly member",
                },
            ),
            (
                "paragraph",
                "Assembly member Fumika Tsuji, who proposed the plan, said it would make Osaka safer and more attractive to visitors. Some members opposed the trial on cost grounds, noting that similar services elsewhere had struggled to attract enough passengers. The city will review ridership figures after the first year and decide whether to continue.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "national",
        "headline": "Landslide cuts only road to mountain villages in southern Nara",
        "standfirst": "About 400 residents are isolated after heavy rain brought down part of a hillside; officials say supplies will be delivered by helicopter.",
        "authors": ["Takumi Iwasawa"],
        "agency": None,
        "tags": ["weather", "disaster", "rural"],
        "hours_ago": 66,
        "photo": {
            "title": "Landslide on the road to Kamiyanagi",
            "caption": "Workers survey the landslide that blocked the prefectural road to Kamiyanagi, Nara prefecture.",
            "agency": None,
            "photographer": "Takumi Iwasawa",
            "scene": "mountains",
        },
        "body": [
            (
                "paragraph",
                "A landslide triggered by heavy rain blocked the only road into three mountain villages in southern Nara prefecture early on Monday, leaving around 400 residents cut off. No one was injured, but officials said it could take at least ten days to clear the debris and make the road safe, as the slope above remained unstable.",
            ),
            (
                "paragraph",
                "The slide, about 60 metres wide, buried a section of the prefectural road near the village of Kamiyanagi under tonnes of earth, rock and fallen cedar trees. More than 300 millimetres of rain fell in the area over 48 hours, according to the local weather observatory, the heaviest for this time of year in three decades.",
            ),
            (
                "paragraph",
                "The prefecture said a helicopter would deliver food, water and medicines to the villages on Tuesday, and that residents needing hospital treatment would be flown out. Most of the residents are elderly, and several rely on regular deliveries of prescription drugs. Electricity and telephone lines were still working.",
            ),
            ("subheading", "An old forestry track"),
            (
                "paragraph",
                "Officials are also examining whether an old forestry track on the other side of the valley could be widened temporarily to allow small vehicles through. Village head Toshio Kayama said residents were calm but worried about how long the isolation would last. 'We have rice and we have neighbours,' he said. 'What we do not have is a road.'",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "national",
        "headline": "Hot spring town of Yumehara to cap weekend day-trippers",
        "standfirst": "The small Hyogo resort will require advance booking for its public baths on busy days, after residents complained of crowds and traffic jams.",
        "authors": ["Kenji Urabe", "Takumi Iwasawa"],
        "agency": None,
        "tags": ["tourism", "rural"],
        "hours_ago": 130,
        "photo": {
            "title": "Yumehara's canal",
            "caption": "FILE PHOTO: Visitors stroll along the willow-lined canal in Yumehara, Hyogo prefecture, April 3, 2024. AMP/Mei Kisaragi",
            "agency": "Asia-Meridian Press",
            "photographer": "Mei Kisaragi",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Yumehara, a hot spring town of about 3,000 people in the mountains of northern Hyogo prefecture, will require visitors to book in advance to use its seven public bathhouses on weekends and holidays from next spring, the town council decided on Thursday. Daily slots will be capped at 4,500, roughly the level seen on a busy day a decade ago.",
            ),
            (
                "paragraph",
                "Visitor numbers have climbed steadily, helped by social media posts featuring the town's willow-lined canal and wooden inns, and by a new expressway interchange that brought the resort within two hours' drive of Osaka. On peak days last autumn, more than 9,000 people visited, causing long queues at the baths and traffic jams on the single road through town.",
            ),
            ("subheading", "Inn guests exempt"),
            (
                "paragraph",
                "Guests staying overnight at the town's inns will be exempt from the booking requirement, a measure the council said was intended to encourage longer stays that bring more money into the local economy. Day visitors will pay a 300 yen booking fee, which will fund a shuttle bus from a car park on the edge of town.",
            ),
            (
                "paragraph",
                "Reactions were mixed. Several innkeepers welcomed the plan, saying overcrowding had begun to put off their regular guests, but some shop owners on the main street worried about losing trade. 'Day-trippers buy our sweets and souvenirs,' said one. 'We hope the council knows what it is doing.'",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "national",
        "headline": "Wakayama fishermen report surge in warm-water species",
        "standfirst": "Catches of fish once rare in the region are rising as sea temperatures climb, while traditional staples are becoming harder to find.",
        "authors": ["Takumi Iwasawa"],
        "agency": "Asia-Meridian Press",
        "tags": ["fisheries", "science", "climate", "rural"],
        "hours_ago": 210,
        "photo": {
            "title": "Boats returning at dawn",
            "caption": "FILE PHOTO: Fishing boats return to port at dawn on the Wakayama coast, July 9, 2023. AMP/Lena Marsh",
            "agency": "Asia-Meridian Press",
            "photographer": "Lena Marsh",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "Fishing cooperatives along the southern coast of Wakayama prefecture say catches of several warm-water species normally found further south have increased sharply over the past five years, while landings of some traditional local fish have fallen. Figures compiled by the prefecture show catches of one species of parrotfish rose more than sixfold over that period.",
            ),
            (
                "paragraph",
                "Marine researchers link the change to rising sea temperatures off the Kii Peninsula, which have averaged more than one degree Celsius above the long-term norm in recent summers. They say some species are shifting their range northward, while seaweed beds that shelter young fish have shrunk as plant-eating fish have become more numerous.",
            ),
            ("subheading", "New fish, new markets"),
            (
                "paragraph",
                "For fishermen, the changes bring both problems and opportunities. Many of the new species fetch low prices because consumers are unfamiliar with them. Cooperatives have begun working with local restaurants and schools to develop recipes and promote the fish, and one has opened a small processing plant to turn them into fish cakes and dried snacks.",
            ),
            (
                "paragraph",
                "The prefecture has also started a programme to restore seaweed beds by fencing off areas from grazing fish and transplanting young plants. Officials said the first results were encouraging but that the scale of the problem meant recovery along the whole coast would take many years.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "national",
        "headline": "Kobe primary schools to share pools as repair costs mount",
        "standfirst": "The city will close outdoor pools at 40 schools and bus pupils to public and private facilities for swimming lessons.",
        "authors": ["Kenji Urabe"],
        "agency": None,
        "tags": ["education", "kobe"],
        "hours_ago": 380,
        "photo": {
            "title": "A closed school pool",
            "caption": "The outdoor pool at a Kobe primary school, which has been out of use since last summer.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Kobe's board of education said on Monday that it would close outdoor swimming pools at 40 of its primary schools over the next three years and move swimming lessons to public sports centres and private swimming clubs. The board said many of the pools, most built in the 1960s and 1970s, needed repairs that would cost more than 100 million yen each.",
            ),
            (
                "paragraph",
                "Under the plan, pupils will travel by chartered bus to nearby indoor pools, where lessons will be taught jointly by school teachers and qualified swimming instructors. The board said the change would save money in the long term and allow lessons to continue regardless of the weather, which has increasingly led to outdoor classes being cancelled on very hot days.",
            ),
            (
                "paragraph",
                "Some parents welcomed the involvement of professional instructors, but others worried about the time lost travelling and the cost to schools of covering lessons. Teachers' representatives said they hoped the change would reduce the burden of cleaning and maintaining pools during the summer, a task that has traditionally fallen to staff.",
            ),
            ("subheading", "Pools as an emergency water supply"),
            (
                "paragraph",
                "A group of residents in the city's Nagata ward has asked the board to keep at least some pools filled, pointing out that they serve as a source of water for firefighting and toilets in the event of an earthquake. The board said it would consult the fire department and consider installing water tanks at schools where pools are closed.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # Kansai Evening Courier - Business
    # ------------------------------------------------------------------
    {
        "site": "courier",
        "section": "business",
        "headline": "Higashi-Osaka toolmakers band together to chase aerospace orders",
        "standfirst": "Seventeen small manufacturers have formed a consortium to bid for parts contracts that none of them could win alone.",
        "authors": ["Rin Oshiro"],
        "agency": None,
        "tags": ["manufacturing", "osaka"],
        "hours_ago": 10,
        "photo": {
            "title": "A Higashi-Osaka workshop",
            "caption": "A machinist at work in a small factory in Higashi-Osaka.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Seventeen small manufacturers in Higashi-Osaka, the city east of Osaka known for its dense clusters of family-run factories, have formed a consortium to bid jointly for contracts to supply parts to the aircraft industry. The group, named Sky Forge Higashi-Osaka, was launched on Thursday at an event attended by the city's mayor and representatives of several aircraft parts makers.",
            ),
            (
                "paragraph",
                "The firms, which employ between six and eighty people each, specialise in machining, heat treatment, surface finishing and inspection. Individually, they say, they are too small to meet the strict quality certification and delivery requirements of aerospace customers. Together, they hope to offer a complete process from raw metal to finished component.",
            ),
            ("subheading", "Certification first"),
            (
                "paragraph",
                "The consortium's first task will be to obtain international aerospace quality certification for a shared inspection facility, a process expected to take about eighteen months. The city will cover half the cost of the facility and its equipment. Members will share orders according to their capacity and pay a fee to fund a small management office.",
            ),
            (
                "quote",
                {
                    "text": "Each of us has skills that took fifty years to build. On our own, nobody outside this city knows we exist.",
                    "attribution": "Makoto Sugiura, consortium chair and president of a precision machining firm",
                },
            ),
            (
                "paragraph",
                "Industry analysts said such alliances had a mixed record, often faltering over disagreements about sharing work and profits. But they noted that demand for aircraft parts was expected to grow as airlines replace ageing fleets, and that large manufacturers were keen to broaden their supply chains.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "business",
        "headline": "Naniwa Power & Light seeks 9 percent rise in household tariffs",
        "standfirst": "The Osaka-based utility cites fuel costs and grid upgrades; consumer groups say families are already struggling with higher bills.",
        "authors": ["Rin Oshiro", "Kenji Urabe"],
        "agency": None,
        "tags": ["energy", "osaka", "companies"],
        "hours_ago": 70,
        "photo": {
            "title": "Power station on Osaka Bay",
            "caption": "FILE PHOTO: A gas-fired power station operated by Naniwa Power & Light on Osaka Bay, December 1, 2023. PWS/Ken Aoyama",
            "agency": "Pacific Wire Service",
            "photographer": "Ken Aoyama",
            "scene": "night",
        },
        "body": [
            (
                "paragraph",
                "Naniwa Power & Light, which supplies electricity to about 3 million households around Osaka Bay, applied to the government on Monday for permission to raise its regulated household tariffs by an average of 9.2 percent from next June. The company said the increase was needed to cover higher fuel costs and investment in transmission lines to connect new solar and offshore wind projects.",
            ),
            (
                "paragraph",
                "If approved, the rise would add around 780 yen a month to the bill of a typical household. It would be the utility's second increase in three years. The company said it had cut costs by reducing management salaries and selling unused land, but that these measures were not enough to offset rising expenses.",
            ),
            ("subheading", "Review process"),
            (
                "paragraph",
                "Applications to raise regulated tariffs are examined by a government panel, which holds public hearings and often approves a smaller increase than requested. The review typically takes several months. Naniwa's president, Ryuichi Okamoto, said the company would explain its case fully and accept the panel's judgement.",
            ),
            (
                "paragraph",
                "Consumer groups in Osaka criticised the application, saying households were already under pressure from higher food prices. Their representatives said they would submit objections to the panel and called for more support for low-income families, particularly elderly people living alone who rely on air conditioning in summer.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "business",
        "headline": "Shiokaze to close Sannomiya flagship after 68 years",
        "standfirst": "The Kobe department store chain will shut its largest branch next summer and redevelop the site into offices, shops and flats.",
        "authors": ["Rin Oshiro"],
        "agency": None,
        "tags": ["companies", "kobe", "history"],
        "hours_ago": 180,
        "photo": {
            "title": "Shiokaze's Sannomiya store",
            "caption": "Shoppers outside the Shiokaze Department Store flagship in Sannomiya, Kobe.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Shiokaze Department Store will close its flagship branch in Kobe's Sannomiya district next August, ending 68 years of trading at the site, the company announced on Friday. The eight-storey building, a landmark near the city's main railway stations, will be demolished and replaced by a mixed-use tower with shops, offices and about 200 apartments.",
            ),
            (
                "paragraph",
                "Sales at the branch have fallen by nearly 40 percent since their peak in the early 1990s, as shoppers have shifted to suburban malls and online retailers. The company said that while the food hall and cosmetics floors remained popular, the upper floors selling clothing and household goods were often nearly empty on weekdays.",
            ),
            ("subheading", "Staff to be redeployed"),
            (
                "paragraph",
                "About 350 people work at the branch, including staff employed by brands that rent space. Shiokaze said its own employees would be offered positions at its two other stores in Hyogo prefecture or in the new building once it opens, expected in 2030. Unions said they would seek guarantees that no one would be forced to relocate far from home.",
            ),
            (
                "quote",
                {
                    "text": "My grandmother bought my school uniform there, and I bought my daughter's. It feels like the end of something.",
                    "attribution": "Tomomi Higa, Kobe resident",
                },
            ),
            (
                "paragraph",
                "Many Kobe residents reacted with nostalgia. The store's rooftop, once home to a small amusement area, is remembered by generations of local children, and its summer gift season was long a fixture of the city's calendar. The company said it would hold a series of events before the closure, including an exhibition of photographs from its archives.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "business",
        "headline": "Asian shares mixed ahead of key inflation figures",
        "standfirst": "Tokyo stocks edged higher on gains in exporters, while markets elsewhere in the region slipped on concerns about slowing consumer spending.",
        "authors": ["Rin Oshiro"],
        "agency": "Pacific Wire Service",
        "tags": ["markets", "currency"],
        "hours_ago": 28,
        "photo": {
            "title": "Share prices on a display board",
            "caption": "FILE PHOTO: Share prices are displayed on a board in Osaka, March 11, 2024. PWS/Paul Hendricks",
            "agency": "Pacific Wire Service",
            "photographer": "Paul Hendricks",
            "scene": "chart",
        },
        "body": [
            (
                "paragraph",
                "Asian stock markets were mixed on Wednesday as investors waited for closely watched inflation figures due later in the week, which are expected to shape expectations for interest rates in major economies. Trading volumes were below average across the region, and dealers said many fund managers were reluctant to take large positions before the data.",
            ),
            (
                "paragraph",
                "In Tokyo, the broad market index rose 0.4 percent, led by exporters such as machinery and electronics makers, which benefited from a slightly weaker yen. Shipping shares fell for a third day, extending losses that followed disappointing results from several carriers. Banks were little changed.",
            ),
            (
                "paragraph",
                "Elsewhere in the region, markets were generally lower. Shares in companies exposed to consumer spending declined after a private survey suggested that households were becoming more cautious, while shares in commodity producers were weighed down by falling prices for copper and other industrial metals.",
            ),
            (
                "paragraph",
                "Strategists said the outlook for the coming weeks would depend heavily on the inflation figures. 'If prices are cooling faster than expected, we could see a broad rally,' said an equity strategist at a brokerage in Osaka. 'If not, investors will have to rethink how long rates stay high, and that is not good news for stocks.'",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # Kansai Evening Courier - Tech
    # ------------------------------------------------------------------
    {
        "site": "courier",
        "section": "tech",
        "headline": "Kyoto university spinout unveils battery material made from seaweed",
        "standfirst": "Umitsu Materials says its seaweed-derived electrode could make sodium-ion batteries cheaper and easier to recycle.",
        "authors": ["Callum Ashdown"],
        "agency": None,
        "tags": ["startups", "energy", "science"],
        "hours_ago": 60,
        "photo": {
            "title": "Collecting seaweed samples",
            "caption": "Researchers collect seaweed samples on the Sea of Japan coast in northern Kyoto prefecture.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "sea",
        },
        "body": [
            (
                "paragraph",
                "A start-up spun out of a Kyoto university laboratory said on Tuesday it had developed an electrode material derived from seaweed that could make sodium-ion batteries cheaper and easier to recycle. Umitsu Materials said prototype cells using the material had retained more than 90 percent of their capacity after 2,000 charging cycles in laboratory tests.",
            ),
            (
                "paragraph",
                "Sodium-ion batteries are seen as a potential alternative to lithium-ion batteries for uses such as storing electricity from solar farms, where weight matters less than cost. Sodium is far more abundant than lithium, but the materials used for the negative electrode have been a bottleneck. Umitsu's process converts fibres from brown seaweed into a porous form of carbon that stores sodium efficiently.",
            ),
            ("subheading", "From lab to factory"),
            (
                "paragraph",
                "The company plans to build a pilot production line in Kyoto prefecture next year, using seaweed harvested along the Sea of Japan coast, including varieties that fishing cooperatives currently discard as waste. Chief executive Aya Shinjo said the firm was in talks with two battery makers about testing the material in larger cells.",
            ),
            (
                "paragraph",
                "Independent researchers said the results were promising but cautioned that many battery materials that perform well in the laboratory never reach commercial production. 'The real test is whether they can make tonnes of this material consistently and cheaply,' said a materials scientist at another university who reviewed the data. 'That is where most start-ups in this field struggle.'",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "tech",
        "headline": "App outage leaves Yodogawa Railway passengers queuing for paper tickets",
        "standfirst": "A faulty software update disabled digital tickets for five hours on Saturday morning, the operator said.",
        "authors": ["Callum Ashdown", "Kenji Urabe"],
        "agency": None,
        "tags": ["digital", "rail", "osaka"],
        "hours_ago": 84,
        "photo": {
            "title": "Queues at ticket machines",
            "caption": "Passengers queue at ticket machines at a station in Osaka during the app outage.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "Tens of thousands of passengers on the Yodogawa Railway, which runs commuter lines between Osaka and its northern suburbs, were unable to use digital tickets for about five hours on Saturday after a software update caused the company's smartphone app to crash. Long queues formed at ticket machines and staffed windows at major stations, and many passengers missed their trains.",
            ),
            (
                "paragraph",
                "The company said the problem began shortly after 6 a.m., when an update to the app's payment system was released. Users who tried to open the app saw an error message, and ticket gates could not read codes on phones that had already installed the update. The operator withdrew the update and restored service by around 11 a.m.",
            ),
            ("subheading", "Calls for a backup"),
            (
                "paragraph",
                "The railway apologised and said passengers who had bought paper tickets during the outage could claim a refund of the difference between the paper and digital fares. About 40 percent of its passengers now use the app, which offers discounts for off-peak travel, and the company has removed ticket machines from some smaller stations in recent years.",
            ),
            (
                "paragraph",
                "Consumer advocates said the incident showed the risk of relying too heavily on digital systems, and urged the company to keep enough ticket machines and staff on hand for emergencies. The railway said it would review its procedures for testing updates and would no longer release changes to the app during peak travel periods.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "tech",
        "headline": "Kobe trial tests delivery robots on steep hillside streets",
        "standfirst": "Six-wheeled robots built by Hashiru Robotics will carry groceries to hillside neighbourhoods where many older residents struggle with the slopes.",
        "authors": ["Callum Ashdown"],
        "agency": "Asia-Meridian Press",
        "tags": ["startups", "digital", "kobe", "ageing"],
        "hours_ago": 150,
        "photo": {
            "title": "A delivery robot on a Kobe slope",
            "caption": "A delivery robot climbs a sloping street in a hillside neighbourhood of Kobe, October 15, 2024. AMP/Mei Kisaragi",
            "agency": "Asia-Meridian Press",
            "photographer": "Mei Kisaragi",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "A fleet of six-wheeled delivery robots began carrying groceries and medicines to homes in hillside neighbourhoods of Kobe on Monday, in a trial intended to test whether the machines can cope with the steep, narrow streets that rise from the city's port toward the Rokko mountains. The robots, built by local start-up Hashiru Robotics, travel on pavements at walking pace.",
            ),
            (
                "paragraph",
                "The three-month trial involves eight robots, a supermarket and two pharmacies. Residents order through an app or by telephone, and a robot collects the goods and delivers them to the door, where customers enter a code to open its compartment. Staff at a control centre monitor the robots remotely and can take over if one becomes stuck.",
            ),
            (
                "paragraph",
                "Many of the neighbourhoods involved have a high proportion of residents over 75, some of whom find walking to the shops difficult, particularly in summer heat or heavy rain. City officials said they hoped robot deliveries could help older people continue living independently in their own homes for longer.",
            ),
            ("subheading", "Slopes, steps and parked bicycles"),
            (
                "paragraph",
                "The company said the main technical challenges were gradients of up to 15 percent, uneven surfaces and obstacles such as parked bicycles. The robots have been fitted with larger wheels and stronger brakes than earlier models. 'Kobe's hills are a hard test,' said chief engineer Daisuke Moriwaki. 'If it works here, it will work almost anywhere.'",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "tech",
        "headline": "Plan for large data centre on Awaji Island raises water concerns",
        "standfirst": "Residents and farmers question whether the island's limited water supply can support the cooling needs of a 300-megawatt facility.",
        "authors": ["Callum Ashdown", "Rin Oshiro", "Saori Minegishi"],
        "agency": None,
        "tags": ["digital", "energy", "rural"],
        "hours_ago": 270,
        "photo": {
            "title": "Farmland on Awaji Island",
            "caption": "Onion fields near the proposed data centre site on Awaji Island.",
            "agency": None,
            "photographer": "Shun Kajiwara",
            "scene": "field",
        },
        "body": [
            (
                "paragraph",
                "A plan by Seto Cloud Partners to build one of the largest data centres in western Japan on Awaji Island has drawn objections from farmers and residents, who fear the facility's cooling systems would strain the island's limited water supply. The developer says the project, with a planned capacity of 300 megawatts, would create about 250 permanent jobs.",
            ),
            (
                "paragraph",
                "Awaji, which lies between Kobe and Shikoku, relies partly on water piped from the mainland and on reservoirs that have run low during recent dry summers. Farmers growing onions and rice, the island's signature crops, say they have already faced restrictions on irrigation in drought years and worry that a large new user would make shortages more frequent.",
            ),
            ("subheading", "Developer promises closed-loop cooling"),
            (
                "paragraph",
                "Seto Cloud said the data centre would use a closed-loop cooling system that recirculates water, and would draw on treated wastewater rather than drinking supplies. It said annual water use would be comparable to that of a few hundred households. The company has also proposed building a solar farm on the site to supply part of the facility's electricity.",
            ),
            (
                "quote",
                {
                    "text": "We are not against new industry. We want to see the numbers, and we want them checked by someone who is not being paid by the developer.",
                    "attribution": "Yasuko Hamada, onion farmer and member of a residents' group",
                },
            ),
            (
                "paragraph",
                "The city that would host the project is expected to decide on a zoning change next year. Local officials said they would commission an independent assessment of the plan's effects on water and traffic before a decision is made. Data centre investment in Japan has accelerated as demand for cloud computing and artificial intelligence services grows.",
            ),
        ],
    },
    # ------------------------------------------------------------------
    # Kansai Evening Courier - Sports
    # ------------------------------------------------------------------
    {
        "site": "courier",
        "section": "sports",
        "headline": "Harbor Gulls stun league leaders with stoppage-time winner",
        "standfirst": "Substitute Kenta Oyamada headed in a corner in the 93rd minute to end Nagoya Crimson Foxes' 14-match unbeaten run.",
        "authors": ["Yuki Harakawa"],
        "agency": None,
        "tags": ["football", "kobe"],
        "hours_ago": 2,
        "photo": {
            "title": "Gulls celebrate",
            "caption": "Kobe Harbor Gulls players celebrate Kenta Oyamada's late winner at Harbourside Stadium.",
            "agency": None,
            "photographer": "Ai Tokunaga",
            "scene": "stadium",
        },
        "body": [
            (
                "paragraph",
                "The Kobe Harbor Gulls ended the unbeaten run of league leaders Nagoya Crimson Foxes on Sunday evening, winning 2-1 at Harbourside Stadium thanks to a stoppage-time header from substitute Kenta Oyamada. The 20-year-old forward, on the pitch for only eleven minutes, met a corner from captain Shota Ebihara at the near post to send a crowd of 24,300 into raptures.",
            ),
            (
                "paragraph",
                "Nagoya, unbeaten in 14 league matches, had taken the lead midway through the first half when striker Rafael Moutinho curled a shot into the top corner from the edge of the penalty area. Kobe equalised four minutes after the break, defender Hayato Kusunoki forcing the ball in after a goalmouth scramble that followed a free kick.",
            ),
            ("subheading", "Gulls climb to fifth"),
            (
                "paragraph",
                "The win lifts the Harbor Gulls to fifth in the table, four points behind the places for continental club competition. Manager Isao Kurobe praised his side's discipline against a team that had scored in every league match this season. 'We defended as a unit and we believed until the end,' he said. 'That is what this club is about.'",
            ),
            (
                "paragraph",
                "Nagoya remain top of the table, five points clear of their nearest challengers. Their manager, Marco Velden, said his side had been 'punished for a single lapse of concentration' but insisted that one defeat would not define their season. The Harbor Gulls travel to Kawasaki Tidewater next weekend, while Nagoya host the Niigata Wildgeese.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "sports",
        "headline": "Lanterns ace Takamori signs five-year extension",
        "standfirst": "The right-hander, who led the league in strikeouts last season, has committed his future to Osaka and ruled out a move overseas for now.",
        "authors": ["Yuki Harakawa", "Takumi Iwasawa"],
        "agency": None,
        "tags": ["baseball", "osaka"],
        "hours_ago": 98,
        "photo": {
            "title": "Ren Takamori on the mound",
            "caption": "Osaka Lanterns pitcher Ren Takamori during a game earlier this season.",
            "agency": None,
            "photographer": "Ai Tokunaga",
            "scene": "stadium",
        },
        "body": [
            (
                "paragraph",
                "Osaka Lanterns ace Ren Takamori has signed a five-year contract extension, the club announced on Monday, ending months of speculation that the right-hander would seek a move to a foreign league. The club did not disclose terms, but people familiar with the negotiations said the deal was the most valuable in the Lanterns' history.",
            ),
            (
                "paragraph",
                "Takamori, 26, led the league with 201 strikeouts last season and has a record of 14 wins and 6 losses this year with an earned run average of 2.11. His fastball, regularly clocked above 155 kilometres per hour, and a sharp splitter have made him one of the most feared pitchers in the country since he joined the club from a corporate league team five years ago.",
            ),
            ("subheading", "'Unfinished business'"),
            (
                "paragraph",
                "At a news conference at the club's stadium, Takamori said he wanted to win a championship with the Lanterns before considering his options abroad. 'I have unfinished business here,' he said. 'The fans supported me when I was a nobody. I want to give them a title first.' The contract is understood to include a clause allowing him to negotiate a move overseas after three seasons.",
            ),
            (
                "paragraph",
                "The Lanterns, currently third in the league, have not won a championship since 1998. General manager Kiyoshi Asakura said keeping Takamori had been the club's top priority. 'Every plan we have for the next five years starts with him on the mound,' he said. 'Now we can build the rest of the team around that.'",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "sports",
        "headline": "Ashiya Fieldworks win Rokko Relay with record mountain stage",
        "standfirst": "A stage record on the uphill leg set up the Hyogo club's first victory in the six-stage road relay for seven years.",
        "authors": ["Yuki Harakawa"],
        "agency": "Northline News Agency",
        "tags": ["athletics", "kobe"],
        "hours_ago": 240,
        "photo": {
            "title": "Runners on the mountain road",
            "caption": "FILE PHOTO: Runners climb a mountain road during the Rokko Relay in Hyogo prefecture, January 14, 2024. NNA/Jiro Tsukahara",
            "agency": "Northline News Agency",
            "photographer": "Jiro Tsukahara",
            "scene": "mountains",
        },
        "body": [
            (
                "paragraph",
                "Ashiya Fieldworks Athletic Club won the Rokko Relay on Sunday, covering the six-stage, 72-kilometre course through the mountains above Kobe in 3 hours 41 minutes 18 seconds. The victory was the Hyogo-based team's first in the event for seven years and was built on a record-breaking run on the gruelling fourth stage, which climbs more than 700 metres.",
            ),
            (
                "paragraph",
                "Hiroto Sakamaki ran the uphill stage in 47 minutes 55 seconds, 22 seconds inside the previous record, turning a deficit of 40 seconds into a lead of more than a minute. 'My legs were screaming for the last three kilometres,' he said. 'But when I saw the gap closing, I forgot about the pain.'",
            ),
            (
                "paragraph",
                "Defending champions Kakogawa Riverside finished second, 28 seconds behind, after their anchor, Taisei Omura, closed steadily on Ashiya's Sho Nakadai over the final stage but ran out of road. The Himeji Whitecranes were third, more than two minutes further back, after losing time on the long descent of the fifth stage.",
            ),
            (
                "paragraph",
                "The relay, held each winter, attracted 32 teams and thousands of spectators along the route, many of them gathered at the hairpin bends of the mountain stage. Organisers said this year's event had gone smoothly despite icy patches on the higher sections in the early morning, when salt trucks were sent out before the start.",
            ),
        ],
    },
    {
        "site": "courier",
        "section": "sports",
        "headline": "Sakai Sparks to move into new 9,000-seat arena next season",
        "standfirst": "The basketball club's move from a municipal gymnasium is part of a waterfront redevelopment the city hopes will draw visitors all year round.",
        "authors": ["Yuki Harakawa", "Kenji Urabe", "Rin Oshiro"],
        "agency": None,
        "tags": ["basketball", "osaka", "localgov"],
        "hours_ago": 340,
        "photo": {
            "title": "The new arena under construction",
            "caption": "The Sakai Sparks' new arena nearing completion on the Sakai waterfront.",
            "agency": None,
            "photographer": "Ai Tokunaga",
            "scene": "city",
        },
        "body": [
            (
                "paragraph",
                "The Sakai Sparks professional basketball club will play its home games at a new 9,000-seat arena on the Sakai waterfront from next season, the club and the city of Sakai announced on Thursday. The arena, now nearing completion, will more than double the club's capacity compared with the municipal gymnasium where it has played since its founding in 2011.",
            ),
            (
                "paragraph",
                "The 21 billion yen arena is being built by a consortium of local companies on land once occupied by a steelworks warehouse, with the city contributing about a third of the cost. It will also host concerts, exhibitions and other sports events, and the city hopes it will anchor a wider redevelopment of the waterfront with restaurants, a hotel and a public park.",
            ),
            ("subheading", "A bet on crowds"),
            (
                "paragraph",
                "The Sparks have averaged around 3,800 spectators per game this season, close to the gymnasium's capacity, and the club says demand for tickets has outstripped supply for big matches. Club president Natsumi Kuroda said the new venue would allow the club to increase revenue from ticketing and hospitality and invest in stronger players.",
            ),
            (
                "quote",
                {
                    "text": "A club cannot grow if its fans cannot get through the door. This arena gives us room to become something much bigger.",
                    "attribution": "Natsumi Kuroda, Sakai Sparks president",
                },
            ),
            (
                "paragraph",
                "Some local residents and assembly members have questioned whether the arena will attract enough events to cover its running costs once the novelty wears off. The city said an operating company would be responsible for those costs and that it had already received booking enquiries from concert promoters for the first year.",
            ),
        ],
    },
]


# Demo readers: verified accounts to try commenting with. `make demo` prints them.
# (display name, email, password, site key, time zone or "" for the site's)
READERS = [
    ("JJE", "jje@readers.invalid", "newsroom-reader", "ledger", ""),
    (
        "Harbourwatcher",
        "harbourwatcher@readers.invalid",
        "newsroom-reader",
        "ledger",
        "",
    ),
    ("Mika S", "mika.s@readers.invalid", "newsroom-reader", "courier", ""),
    (
        "Old Kobe Hand",
        "oldkobehand@readers.invalid",
        "newsroom-reader",
        "courier",
        "Europe/London",
    ),
]
