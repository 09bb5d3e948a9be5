"""Invented sentences and bullets for the LLM writer's claim-verb check (see `_llm_paraphrases`),
written for the project: honest bullets whose source has a hedge that governs something else than
the verb (its subject, a relative clause, another clause), and bullets that keep the verb's event
but swap who won or who bought."""

from __future__ import annotations

# Honest: a hedge or future word in the subject or another clause puts the verb off in nothing.
HONEST_HEDGE_ELSEWHERE: list[tuple[str, str]] = [
    (
        "Acme, which had planned to buy Birch for months, bought it on Monday for $4 million.",
        "Acme bought Birch on Monday for $4 million.",
    ),
    (
        "The storm expected on Monday destroyed 40 homes in Marl, officials said.",
        "The storm destroyed 40 homes in Marl on Monday, officials said.",
    ),
    (
        "Voters who had hoped for change elected Ann Ruiz mayor of Brill on Sunday.",
        "Ann Ruiz was elected mayor of Brill on Sunday.",
    ),
    (
        "A much-debated plan to ban cars from the centre of Brill was approved by the council on "
        "Tuesday.",
        "The Brill council approved a plan to ban cars from the centre on Tuesday.",
    ),
    (
        "Police investigating possible links to a gang arrested three men in Kelby on Monday.",
        "Police arrested three men in Kelby on Monday.",
    ),
    (
        "A man facing fraud charges was jailed for six years in Kelby on Monday.",
        "A man was jailed for six years in Kelby on Monday.",
    ),
    (
        "Kestrel Bank, seeking to cut costs, fired 40 managers in Brill on Monday.",
        "Kestrel Bank fired 40 managers in Brill on Monday.",
    ),
    (
        "Acme's long-expected takeover of Birch was completed on Monday for $4 million.",
        "Acme completed its takeover of Birch on Monday for $4 million.",
    ),
    (
        "The proposed merger of Acme and Birch was approved by regulators on Monday.",
        "Regulators approved the merger of Acme and Birch on Monday.",
    ),
    (
        "Hopes of a deal faded as the union rejected the pay offer from Skyvale on Monday.",
        "The union rejected the pay offer from Skyvale on Monday.",
    ),
]

# Changed: the bullet's verb is the other side of the sentence's event, said of the same subject.
CHANGED_ROLES: list[tuple[str, str]] = [
    (
        "Smith lost the mayoral race to Jones on Sunday.",
        "Smith beat Jones in the mayoral race on Sunday.",
    ),
    (
        "The Harlow Hawks lost 3-1 to the Deering Owls in the cup final on Saturday.",
        "The Harlow Hawks beat the Deering Owls 3-1 in the cup final on Saturday.",
    ),
    (
        "Acme sold the bakery chain Birch to Cole Foods for $4 million on Monday.",
        "Acme bought the bakery chain Birch from Cole Foods for $4 million on Monday.",
    ),
    (
        "Jones was defeated by Smith in the mayoral race on Sunday.",
        "Jones won the mayoral race against Smith on Sunday.",
    ),
]

# Honest: the other side of the event, said of the sentence's other party.
HONEST_ROLES: list[tuple[str, str]] = [
    (
        "Cole Foods bought the bakery chain Birch from Acme for $4 million on Monday.",
        "Acme sold the bakery chain Birch to Cole Foods for $4 million on Monday.",
    ),
    (
        "Jones was defeated by Smith in the mayoral race on Sunday.",
        "Smith beat Jones in the mayoral race on Sunday.",
    ),
    (
        "The Harlow Hawks beat the Deering Owls 3-1 in the cup final on Saturday.",
        "The Deering Owls lost the cup final 3-1 to the Harlow Hawks on Saturday.",
    ),
    (
        "Ostra's owners sold the battery maker to Vell Motors for $900 million on Monday.",
        "Vell Motors bought battery maker Ostra for $900 million on Monday.",
    ),
    (
        "Smith lost the mayoral race to Jones on Sunday.",
        "Jones beat Smith in the mayoral race on Sunday.",
    ),
]
