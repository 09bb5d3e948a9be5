"""Invented source sentences with a bullet a model might write from each, for the LLM writer's
claim-verb check: HONEST bullets say what the sentence says in other words (another tense,
voice or verb of the same meaning); CHANGED ones keep its names and figures and change what
happened ("bid" made "acquired"). Written for the project; `tests/test_summarize_llm_verbs.py`
reads them. MISSED lists the changed bullets the verb check lets through, and why."""

from __future__ import annotations

from bot.models import Article

# The second bullet every answer carries (a card needs two), copied from the second outlet.
OTHER_FACT = "The council will meet again on Thursday."

HONEST: list[tuple[str, str]] = [
    (
        "Acme bid $4 million for the furniture maker Birch on Tuesday.",
        "Acme made a $4 million bid for Birch on Tuesday.",
    ),
    (
        "Police arrested two men after the break-in at the Dunmore museum.",
        "Two men were arrested after the Dunmore museum break-in.",
    ),
    (
        "The Larkfield water plant closed on Monday after a chlorine leak.",
        "A chlorine leak closed the Larkfield water plant on Monday.",
    ),
    (
        "Harbor Rail will cut 300 jobs by the end of the year.",
        "Harbor Rail plans to cut 300 jobs by the end of the year.",
    ),
    (
        "The Senate approved the $2 billion flood relief bill on Thursday.",
        "The Senate passed a $2 billion flood relief bill on Thursday.",
    ),
    (
        "Fire destroyed 14 homes in the hills above Carver on Sunday.",
        "A fire destroyed 14 homes above Carver on Sunday.",
    ),
    (
        "The Millbrook bridge will reopen on Friday after three weeks of repairs.",
        "The Millbrook bridge is set to reopen on Friday after three weeks of repairs.",
    ),
    (
        "Nine workers were taken to hospital after the chemical spill in Elwood.",
        "The Elwood chemical spill sent nine workers to hospital.",
    ),
    (
        "Governor Hale signed the school funding law on Wednesday.",
        "Governor Hale signed the school funding bill into law on Wednesday.",
    ),
    (
        "Keller Foods recalled 20,000 jars of peanut butter over salmonella fears.",
        "Keller Foods is recalling 20,000 jars of peanut butter over salmonella fears.",
    ),
    (
        "The central bank raised its main rate to 4.5% on Tuesday.",
        "The central bank lifted its main rate to 4.5% on Tuesday.",
    ),
    (
        "Voters in Ashby rejected the stadium plan by 612 votes.",
        "Ashby voters turned down the stadium plan by 612 votes.",
    ),
    (
        "The strike by 4,000 nurses ended on Saturday after a pay deal.",
        "A pay deal ended the strike by 4,000 nurses on Saturday.",
    ),
    (
        "Orbis Air cancelled 120 flights because of the snowstorm.",
        "The snowstorm forced Orbis Air to cancel 120 flights.",
    ),
    (
        "A court in Tarrow sentenced the former mayor to six years in prison.",
        "The former mayor was sentenced to six years in prison by a Tarrow court.",
    ),
    (
        "The river rose to 5.1 metres overnight, flooding the lower town.",
        "The river reached 5.1 metres overnight and flooded the lower town.",
    ),
    (
        "Brightline Energy will build a 200-megawatt solar farm near Kessel.",
        "Brightline Energy is building a 200-megawatt solar farm near Kessel.",
    ),
    (
        "The hospital suspended two surgeons pending an inquiry.",
        "Two surgeons have been suspended by the hospital pending an inquiry.",
    ),
    (
        "Talks between the union and the port owners broke down on Friday.",
        "Talks between the union and the port owners collapsed on Friday.",
    ),
    (
        "The minister resigned on Monday over the housing scandal.",
        "The minister quit on Monday over the housing scandal.",
    ),
    (
        "Storms left 40,000 homes without power across the county.",
        "Storms cut power to 40,000 homes across the county.",
    ),
    (
        "The museum returned the bronze statue to Greece on Thursday.",
        "The bronze statue was handed back to Greece by the museum on Thursday.",
    ),
    (
        "Dale Motors sold 1.2 million cars last year, up 8%.",
        "Dale Motors' car sales rose 8% to 1.2 million last year.",
    ),
    (
        "The city will ban cars from the old town from May.",
        "Cars will be banned from the old town from May.",
    ),
    (
        "A 6.1 magnitude earthquake struck off the coast of Varna on Sunday.",
        "An earthquake of magnitude 6.1 hit off the Varna coast on Sunday.",
    ),
    (
        "The company fired its chief executive after the accounting errors.",
        "The chief executive was fired after the accounting errors.",
    ),
    (
        "Health officials confirmed 31 new measles cases in Corby this week.",
        "Corby recorded 31 new measles cases this week, health officials said.",
    ),
    (
        "The jury found Lars Brenner guilty of fraud on Tuesday.",
        "Lars Brenner was convicted of fraud on Tuesday.",
    ),
    (
        "Thousands marched through Olden on Saturday against the new airport.",
        "Thousands protested against the new airport in Olden on Saturday.",
    ),
    (
        "The board delayed its vote on the merger until March.",
        "The board's vote on the merger was pushed back to March.",
    ),
    (
        "Police evacuated 200 people from the Fenwick estate after the gas leak.",
        "Some 200 people were evacuated from the Fenwick estate after the gas leak.",
    ),
    (
        "The school will close for two weeks after the roof collapsed.",
        "The school is closing for two weeks after its roof collapsed.",
    ),
    (
        "Regulators fined Granite Bank $12 million for weak money-laundering checks.",
        "Granite Bank was fined $12 million by regulators over weak money-laundering checks.",
    ),
    (
        "The team won the league title on Saturday with a 2-0 win over Rovers.",
        "The team clinched the league title on Saturday by beating Rovers 2-0.",
    ),
    (
        "The drought has killed half of the region's wheat crop.",
        "Half of the region's wheat crop has died in the drought.",
    ),
    (
        "Mayor Ruiz announced a curfew for the harbour district on Friday.",
        "Mayor Ruiz imposed a curfew on the harbour district on Friday.",
    ),
    (
        "Tessa Lund was elected leader of the Green Party on Sunday.",
        "The Green Party elected Tessa Lund as its leader on Sunday.",
    ),
    (
        "The factory will stop production in Hallam next year.",
        "Production at the Hallam factory will end next year.",
    ),
    (
        "The storm dumped 30 centimetres of snow on Keswick overnight.",
        "Keswick got 30 centimetres of snow overnight from the storm.",
    ),
    (
        "Sales of electric cars doubled in the first half of the year.",
        "Electric car sales doubled in the first half of the year.",
    ),
]

CHANGED: list[tuple[str, str]] = [
    (
        "Acme bid $4 million for the furniture maker Birch on Tuesday.",
        "Acme acquired Birch for $4 million on Tuesday.",
    ),
    (
        "Police arrested two men after the break-in at the Dunmore museum.",
        "Police charged two men over the break-in at the Dunmore museum.",
    ),
    (
        "Harbor Rail will cut 300 jobs by the end of the year.",
        "Harbor Rail has cut 300 jobs this year.",
    ),
    (
        "The Senate debated the $2 billion flood relief bill on Thursday.",
        "The Senate approved the $2 billion flood relief bill on Thursday.",
    ),
    (
        "Fire damaged 14 homes in the hills above Carver on Sunday.",
        "Fire destroyed 14 homes in the hills above Carver on Sunday.",
    ),
    (
        "Nine workers were injured in the chemical spill in Elwood.",
        "Nine workers were killed in the chemical spill in Elwood.",
    ),
    (
        "Governor Hale vetoed the school funding bill on Wednesday.",
        "Governor Hale signed the school funding bill on Wednesday.",
    ),
    (
        "The central bank held its main rate at 4.5% on Tuesday.",
        "The central bank raised its main rate to 4.5% on Tuesday.",
    ),
    (
        "Voters in Ashby approved the stadium plan by 612 votes.",
        "Voters in Ashby rejected the stadium plan by 612 votes.",
    ),
    (
        "Orbis Air delayed 120 flights because of the snowstorm.",
        "Orbis Air cancelled 120 flights because of the snowstorm.",
    ),
    (
        "Prosecutors charged the former mayor of Tarrow with bribery.",
        "The former mayor of Tarrow was convicted of bribery.",
    ),
    (
        "The hospital suspended two surgeons pending an inquiry.",
        "The hospital fired two surgeons pending an inquiry.",
    ),
    (
        "The minister apologised on Monday over the housing scandal.",
        "The minister resigned on Monday over the housing scandal.",
    ),
    (
        "Lars Brenner was accused of fraud on Tuesday.",
        "Lars Brenner was convicted of fraud on Tuesday.",
    ),
    (
        "The board discussed the merger with Kestrel on Monday.",
        "The board approved the merger with Kestrel on Monday.",
    ),
    (
        "Tessa Lund was nominated for leader of the Green Party on Sunday.",
        "Tessa Lund was elected leader of the Green Party on Sunday.",
    ),
    (
        "Keller Foods sued its former supplier for $3 million.",
        "Keller Foods paid its former supplier $3 million.",
    ),
    (
        "The city proposed a ban on cars in the old town from May.",
        "The city banned cars in the old town from May.",
    ),
    (
        "Brightline Energy offered $50 million for the Kessel solar farm.",
        "Brightline Energy bought the Kessel solar farm for $50 million.",
    ),
    (
        "The union threatened a strike at the port from Monday.",
        "The union began a strike at the port on Monday.",
    ),
]


def verb_story(sentence: str) -> list[Article]:
    """Two outlets: the first reports `sentence`, the second the council's next meeting."""
    return [
        Article(
            id="v1",
            source="Lowland Post",
            title="Council news",
            text=f"{sentence} Residents were told more on Monday.",
            url="https://post.example/v",
        ),
        Article(
            id="v2",
            source="Upland Echo",
            title="Council to meet",
            text=f"{OTHER_FACT} Members will hear from residents.",
            url="https://echo.example/v",
        ),
    ]


# Written after the verb groups of `claim_verbs` were fixed, to measure them on bullets they were
# not shaped on.
HONEST_HELD_OUT: list[tuple[str, str]] = [
    (
        "Northgate Bank agreed to buy the smaller lender Pell Savings for $90 million.",
        "Northgate Bank will acquire Pell Savings for $90 million.",
    ),
    (
        "A landslide killed three hikers on Mount Orrin on Saturday.",
        "Three hikers died in a landslide on Mount Orrin on Saturday.",
    ),
    (
        "The court cleared the former coach of all charges on Friday.",
        "The former coach was acquitted of all charges on Friday.",
    ),
    (
        "Parliament voted 301 to 220 to approve the new border law.",
        "Parliament adopted the new border law by 301 votes to 220.",
    ),
    (
        "The airline scrapped its plan for a new route to Kesto.",
        "The airline cancelled its plan for a new route to Kesto.",
    ),
    (
        "Marin County has banned fireworks for the summer because of the fire risk.",
        "Fireworks are prohibited in Marin County this summer because of the fire risk.",
    ),
    (
        "The club sacked its manager after five straight defeats.",
        "The club dismissed its manager after five straight defeats.",
    ),
    (
        "Officers detained a 19-year-old man near the stadium.",
        "A 19-year-old man was arrested near the stadium.",
    ),
    (
        "The chief of police stepped down on Tuesday after the report.",
        "The chief of police resigned on Tuesday after the report.",
    ),
    (
        "The mill will stop making paper in June after 80 years.",
        "The mill will end paper production in June after 80 years.",
    ),
    (
        "Grover Tech paid $8 million to settle the privacy lawsuit.",
        "Grover Tech settled the privacy lawsuit for $8 million.",
    ),
    (
        "The regional council appointed Mira Holt as its new chief executive.",
        "Mira Holt was named the regional council's new chief executive.",
    ),
    (
        "Rains flooded 300 homes in Beckton overnight.",
        "Overnight rains left 300 homes in Beckton under water.",
    ),
    (
        "The trial of the three activists began on Monday in Sorel.",
        "Three activists went on trial in Sorel on Monday.",
    ),
    (
        "Fenwick United beat Castle Rovers 3-1 to win the cup.",
        "Fenwick United won the cup with a 3-1 victory over Castle Rovers.",
    ),
    (
        "Prices at the pump rose by 6% in May.",
        "Pump prices increased 6% in May.",
    ),
    (
        "The mayor signed an order to close the beach on Sunday.",
        "The mayor ordered the beach closed on Sunday.",
    ),
    (
        "The jury convicted Pia Stone of tax fraud after a two-week trial.",
        "Pia Stone was found guilty of tax fraud after a two-week trial.",
    ),
    (
        "Dorset Water will raise bills by 9% from April.",
        "Bills from Dorset Water are going up 9% from April.",
    ),
    (
        "The ferry company suspended crossings to Larn because of high winds.",
        "High winds halted ferry crossings to Larn.",
    ),
]

CHANGED_HELD_OUT: list[tuple[str, str]] = [
    (
        "Northgate Bank is in talks to buy Pell Savings for $90 million.",
        "Northgate Bank has completed its purchase of Pell Savings for $90 million.",
    ),
    (
        "A landslide injured three hikers on Mount Orrin on Saturday.",
        "A landslide killed three hikers on Mount Orrin on Saturday.",
    ),
    (
        "The former coach was charged with assault on Friday.",
        "The former coach was convicted of assault on Friday.",
    ),
    (
        "Parliament will vote on the new border law next week.",
        "Parliament passed the new border law.",
    ),
    (
        "The club criticised its manager after five straight defeats.",
        "The club sacked its manager after five straight defeats.",
    ),
    (
        "The chief of police apologised on Tuesday after the report.",
        "The chief of police resigned on Tuesday after the report.",
    ),
    (
        "Mira Holt applied to be the regional council's chief executive.",
        "Mira Holt was appointed the regional council's chief executive.",
    ),
    (
        "Fenwick United drew 1-1 with Castle Rovers in the cup.",
        "Fenwick United beat Castle Rovers in the cup.",
    ),
    (
        "Grover Tech is fighting the $8 million privacy lawsuit.",
        "Grover Tech settled the $8 million privacy lawsuit.",
    ),
    (
        "The mill may stop making paper in June.",
        "The mill will stop making paper in June.",
    ),
]

# Changed bullets above that the check lets through: the verb is the source's own in another tense
# ("will cut" told as "has cut"), and "cut" is no decisive verb.
MISSED = {
    "Harbor Rail has cut 300 jobs this year.",
}
