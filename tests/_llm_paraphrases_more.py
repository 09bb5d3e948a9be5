"""More invented sentences and bullets for the LLM writer's claim-verb check (see
`_llm_paraphrases`), written for the project: honest bullets telling one event from its other
side or in a phrase ("sold" for "bought", "lost to" for "defeated", "washed away" for
"destroyed"), and changed ones stating as done what the sentence only says may or will happen
("bought" for "agreed to buy", "was charged" for "could be charged")."""

from __future__ import annotations

# Honest: the same decisive fact in another verb, from the other side, or in a phrase.
HONEST_OTHER_WORDS: list[tuple[str, str]] = [
    (
        "Smith defeated Jones in the mayoral race on Sunday.",
        "Smith beat Jones in the mayoral race on Sunday.",
    ),
    (
        "Jones was defeated by Smith in the mayoral race on Sunday.",
        "Jones lost the mayoral race to Smith on Sunday.",
    ),
    (
        "Cole Foods bought the bakery chain Birch from Acme for $4 million.",
        "Acme sold the bakery chain Birch to Cole Foods for $4 million.",
    ),
    (
        "The central bank increased its key interest rate to 4.5 percent on Thursday.",
        "The central bank raised its key interest rate to 4.5 percent on Thursday.",
    ),
    (
        "The wildfire gutted 40 homes in Pinehill on Saturday.",
        "The wildfire destroyed 40 homes in Pinehill on Saturday.",
    ),
    (
        "The murder trial of Tom Reed opened in Lowland on Monday.",
        "The murder trial of Tom Reed began in Lowland on Monday.",
    ),
    (
        "Soldiers shot at protesters in Lowland square on Monday.",
        "Soldiers fired on protesters in Lowland square on Monday.",
    ),
    (
        "Lowland council spent $2 million on the new library.",
        "Lowland council paid $2 million for the new library.",
    ),
    (
        "Acme unveiled its new Birch phone in Lowland on Monday.",
        "Acme launched its new Birch phone in Lowland on Monday.",
    ),
    (
        "Acme struck a deal with the Lowland council on Monday.",
        "Acme signed a deal with the Lowland council on Monday.",
    ),
    (
        "Three hikers lost their lives in a landslide on Mount Orrin on Saturday.",
        "A landslide killed three hikers on Mount Orrin on Saturday.",
    ),
    (
        "Tom Reed stepped down as Lowland mayor on Monday.",
        "Tom Reed resigned as Lowland mayor on Monday.",
    ),
    (
        "Lowland council voted to scrap the $2 million tram plan on Monday.",
        "Lowland council cancelled the $2 million tram plan on Monday.",
    ),
    (
        "Lowland council voted through the $2 million budget on Monday.",
        "Lowland council approved the $2 million budget on Monday.",
    ),
    (
        "Police said they had arrested two men after the Dunmore museum break-in.",
        "Police arrested two men after the Dunmore museum break-in.",
    ),
    (
        "Acme, which could face a fine, bought the furniture maker Birch for $4 million.",
        "Acme bought the furniture maker Birch for $4 million.",
    ),
    (
        "Acme completed its purchase of Birch for $4 million on Tuesday.",
        "Acme bought Birch for $4 million on Tuesday.",
    ),
    (
        "Acme agreed to buy Birch for $4 million on Tuesday.",
        "Acme will buy Birch for $4 million, it agreed on Tuesday.",
    ),
    (
        "The Senate voted 60-40 to pass the flood relief bill on Thursday.",
        "The Senate passed the flood relief bill 60-40 on Thursday.",
    ),
    (
        "Rovers lost 2-0 to Fenwick United on Saturday.",
        "Fenwick United beat Rovers 2-0 on Saturday.",
    ),
    (
        "Fenwick United defeated Rovers 2-0 on Saturday.",
        "Rovers lost 2-0 to Fenwick United on Saturday.",
    ),
    (
        "Tessa Lund won the Ashby mayoral election by 612 votes.",
        "Tessa Lund was elected mayor of Ashby by 612 votes.",
    ),
    (
        "The landslide left three hikers dead on Mount Orrin.",
        "The landslide killed three hikers on Mount Orrin.",
    ),
    (
        "The central bank lifted its key rate to 4.5 percent on Thursday.",
        "The central bank raised its key rate to 4.5 percent on Thursday.",
    ),
    (
        "The report raised fresh questions about the Lowland council budget.",
        "The report prompted fresh questions about the Lowland council budget.",
    ),
    (
        "Lowland council raised $2 million for the new library.",
        "Lowland council collected $2 million for the new library.",
    ),
    (
        "Acme launched a review of its Birch factory on Monday.",
        "Acme began a review of its Birch factory on Monday.",
    ),
    (
        "Acme began a review of its Birch factory on Monday.",
        "Acme launched a review of its Birch factory on Monday.",
    ),
    (
        "The judge dismissed the lawsuit against Acme on Monday.",
        "The judge threw out the lawsuit against Acme on Monday.",
    ),
    (
        "The court threw out the lawsuit against Acme on Monday.",
        "The court dismissed the lawsuit against Acme on Monday.",
    ),
    (
        "Troops opened fire on the crowd in Lowland on Monday.",
        "Troops fired on the crowd in Lowland on Monday.",
    ),
    (
        "Acme paid tribute to its founder Tom Reed on Monday.",
        "Acme honoured its founder Tom Reed on Monday.",
    ),
    (
        "Acme won the $2 million contract for the Lowland bridge.",
        "Acme was awarded the $2 million contract for the Lowland bridge.",
    ),
    (
        "Acme was awarded the $2 million contract for the Lowland bridge.",
        "Acme won the $2 million contract for the Lowland bridge.",
    ),
    (
        "The storm left 40 homes in ruins in Pinehill on Saturday.",
        "The storm destroyed 40 homes in Pinehill on Saturday.",
    ),
    (
        "Tom Reed was sentenced to ten years in prison for fraud.",
        "Tom Reed was jailed for ten years for fraud.",
    ),
    (
        "The bill cleared the Senate on Thursday by 60 votes to 40.",
        "The Senate passed the bill by 60 votes to 40 on Thursday.",
    ),
    (
        "Acme signed a $4 million deal with Birch on Monday.",
        "Acme struck a $4 million deal with Birch on Monday.",
    ),
    (
        "Acme and Birch sealed a $4 million deal on Monday.",
        "Acme signed a $4 million deal with Birch on Monday.",
    ),
    (
        "Lowland council scrapped the $2 million tram plan, the mayor said.",
        "Lowland council cancelled the $2 million tram plan.",
    ),
    (
        "Tom Reed was found guilty of fraud on Tuesday and could face ten years in prison.",
        "Tom Reed was convicted of fraud on Tuesday.",
    ),
    (
        "The factory shut down for good on Friday after 80 years.",
        "The factory closed for good on Friday after 80 years.",
    ),
    (
        "Lowland council gave final approval to the $2 million budget on Monday.",
        "Lowland council approved the $2 million budget on Monday.",
    ),
    (
        "Two men were taken into custody after the Dunmore museum break-in.",
        "Two men were arrested after the Dunmore museum break-in.",
    ),
    (
        "Acme has taken over the furniture maker Birch for $4 million.",
        "Acme acquired the furniture maker Birch for $4 million.",
    ),
    (
        "The Birch furniture maker was sold to Acme for $4 million.",
        "Acme bought the Birch furniture maker for $4 million.",
    ),
    (
        "Tom Reed was given a ten-year prison term for fraud.",
        "Tom Reed was sentenced to ten years in prison for fraud.",
    ),
    (
        "Three hikers died when a landslide hit Mount Orrin on Saturday.",
        "A landslide killed three hikers on Mount Orrin on Saturday.",
    ),
    (
        "The flood washed away 40 homes in Pinehill on Saturday.",
        "The flood destroyed 40 homes in Pinehill on Saturday.",
    ),
    (
        "Governor Hale put his signature on the school funding bill on Wednesday.",
        "Governor Hale signed the school funding bill on Wednesday.",
    ),
    (
        "Tom Reed announced his resignation as Lowland mayor on Monday.",
        "Tom Reed resigned as Lowland mayor on Monday.",
    ),
    (
        "Rovers let go of their manager Tom Reed after five straight defeats.",
        "Rovers sacked their manager Tom Reed after five straight defeats.",
    ),
    (
        "Voters chose Tessa Lund as Ashby mayor on Sunday.",
        "Tessa Lund was elected Ashby mayor on Sunday.",
    ),
    (
        "Lowland council called off the $2 million tram plan on Monday.",
        "Lowland council cancelled the $2 million tram plan on Monday.",
    ),
    (
        "The central bank pushed its key rate up to 4.5 percent on Thursday.",
        "The central bank raised its key rate to 4.5 percent on Thursday.",
    ),
    (
        "Fenwick United came from behind to defeat Rovers 3-1 in the cup final.",
        "Fenwick United beat Rovers 3-1 in the cup final.",
    ),
    (
        "Rovers were beaten 3-1 by Fenwick United in the cup final.",
        "Fenwick United won the cup final 3-1 against Rovers.",
    ),
    (
        "Acme agreed to pay $8 million to end the privacy lawsuit.",
        "Acme will pay $8 million to settle the privacy lawsuit.",
    ),
    (
        "The nurses' strike got under way in Lowland on Monday.",
        "The nurses' strike began in Lowland on Monday.",
    ),
    (
        "The 4,000 nurses returned to work on Saturday, ending their strike.",
        "The strike by 4,000 nurses ended on Saturday.",
    ),
    (
        "Lowland council outlawed fireworks in the old town on Monday.",
        "Lowland council banned fireworks in the old town on Monday.",
    ),
    (
        "Police said the man, who they believe may have acted alone, was arrested on Monday.",
        "Police arrested the man on Monday.",
    ),
    (
        "Officials said Acme would likely close the Birch plant, which it bought in 2019.",
        "Acme bought the Birch plant in 2019.",
    ),
]

# Changed: the sentence says it may or will happen; the bullet says it did (or surely will).
CHANGED_MODALITY: list[tuple[str, str]] = [
    (
        "Acme agreed to buy the bakery chain Birch for $4 million on Tuesday.",
        "Acme bought the bakery chain Birch for $4 million on Tuesday.",
    ),
    (
        "Acme plans to buy the bakery chain Birch for $4 million.",
        "Acme bought the bakery chain Birch for $4 million.",
    ),
    (
        "Tom Reed faces up to ten years in prison if convicted of fraud.",
        "Tom Reed was jailed for ten years for fraud.",
    ),
    (
        "Tom Reed could be charged with fraud, prosecutors said.",
        "Tom Reed was charged with fraud, prosecutors said.",
    ),
    (
        "Lowland council may approve the budget of $2 million next week.",
        "Lowland council approved the budget of $2 million.",
    ),
    ("Acme wants to buy Birch for $4 million.", "Acme bought Birch for $4 million."),
    (
        "Acme is expected to buy Birch for $4 million next week.",
        "Acme bought Birch for $4 million.",
    ),
    (
        "Acme would buy Birch for $4 million under the proposal.",
        "Acme bought Birch for $4 million.",
    ),
    (
        "Lowland council might approve the $2 million budget on Monday.",
        "Lowland council approved the $2 million budget on Monday.",
    ),
    (
        "Lowland council proposed a ban on cars in the old town.",
        "Lowland council banned cars in the old town.",
    ),
    (
        "Tom Reed could be jailed for ten years if convicted of fraud.",
        "Tom Reed was jailed for ten years for fraud.",
    ),
    (
        "Tom Reed faces charges of fraud and up to ten years in prison.",
        "Tom Reed was sentenced to ten years in prison for fraud.",
    ),
    (
        "Lowland council plans to scrap the $2 million tram plan.",
        "Lowland council scrapped the $2 million tram plan.",
    ),
    (
        "Acme may sign a $4 million deal with Birch on Monday.",
        "Acme will sign a $4 million deal with Birch on Monday.",
    ),
    (
        "Acme is considering buying the furniture maker Birch for $4 million.",
        "Acme bought the furniture maker Birch for $4 million.",
    ),
    ("Prosecutors are seeking to charge Tom Reed with fraud.", "Tom Reed was charged with fraud."),
    (
        "Lowland council is set to approve the $2 million budget on Monday.",
        "Lowland council approved the $2 million budget on Monday.",
    ),
    (
        "Tom Reed is likely to resign as Lowland mayor on Monday.",
        "Tom Reed resigned as Lowland mayor on Monday.",
    ),
    ("Rovers threatened to sack their manager Tom Reed.", "Rovers sacked their manager Tom Reed."),
    (
        "Acme hopes to sign a $4 million deal with Birch on Monday.",
        "Acme signed a $4 million deal with Birch on Monday.",
    ),
]

# Changed: another decisive fact than the sentence's.
CHANGED_OTHER: list[tuple[str, str]] = [
    ("Fenwick United drew 1-1 with Rovers on Saturday.", "Fenwick United beat Rovers on Saturday."),
    (
        "The central bank kept its key rate at 4.5 percent on Thursday.",
        "The central bank raised its key rate to 4.5 percent on Thursday.",
    ),
    (
        "The hospital suspended two surgeons on Monday.",
        "The hospital dismissed two surgeons on Monday.",
    ),
    (
        "The landslide injured three hikers on Mount Orrin.",
        "The landslide killed three hikers on Mount Orrin.",
    ),
    ("Tom Reed was accused of fraud on Tuesday.", "Tom Reed was convicted of fraud on Tuesday."),
    (
        "Lowland council voted against the $2 million budget on Monday.",
        "Lowland council approved the $2 million budget on Monday.",
    ),
    (
        "The landslide trapped three hikers on Mount Orrin on Saturday.",
        "The landslide killed three hikers on Mount Orrin on Saturday.",
    ),
    (
        "Tom Reed was arrested on suspicion of fraud on Tuesday.",
        "Tom Reed was convicted of fraud on Tuesday.",
    ),
]
