"""Emergencies told in everyday words, not named, are critical in every language; a long
absence, a harm told as over, a question, a rumour or a shakedown is not.

The rules alone (a model with no opinion) must see each family; none of these sentences is in
the corpus or the evaluation set.
"""

import pytest

from triage import classify

CRITICAL = {
    "a clash under way": [
        "fighting has broken out between the two stages at kariobangi, boys everywhere",
        "riots have started outside the chief's camp and they are spreading",
        "ghasia zimezuka kati ya wachuuzi na wenye maduka pale soko la wakulima",
        "wakazi wa vijiji viwili wanalipuana kwa bridge ya mto",
        "noma imeanza pale kwa stage, mbogi mbili zinadinyana",
    ],
    "stones or teargas thrown now": [
        "young men are hurling stones at the matatus on thika road",
        "vijana wanarusha mawe kwa magari ya polisi karibu na shule",
        "teargas inarushwa kwa class ya watoi na hatujui tufanye nini",
    ],
    "shops or homes looted or burned now": [
        "a crowd is looting the kiosks near the bus park",
        "the stalls are being torched by a gang",
        "kundi la watu linavunja vibanda vya wachuuzi sokoni",
        "wasee wanapora maduka ya wahindi pale river road",
    ],
    "a harm seen in the progressive passive": [
        "an old man is being trampled by the crowd the askaris pushed",
        "a woman is being kicked by two guards at the gate while we look on",
        "my cousin is being battered by men in the alley behind the church",
    ],
    "watching it happen": [
        "askari wanamchapa kijana wa boda tukiangalia hapa stage",
        "karao wanamtandika msee tunacheki from the balcony",
    ],
    "armed men who have not left": [
        "two men with pistols came to our gate an hour ago and have not left",
        "wanaume wenye mapanga wamesimama nje ya nyumba yetu hawajaondoka",
        "wasee na panga bado wako nje ya keja yetu",
    ],
    "someone collapsed or unable to breathe": [
        "babu amezirai ndani ya seli baada ya kupigwa",
        "mfungwa ameanguka ndani ya selo na askari wanakataa kumtoa",
        "the smoke is thick and the pupils cannot breathe",
        "watu wanashindwa kupumua sokoni baada ya gesi",
        "maboi wameanguka kwa cell na hawapumui",
    ],
    "a plea that lives are in danger": [
        "please, we are in danger, they have surrounded the mosque",
        "maisha yetu yako hatarini hapa mtaani",
        "tuko kwa hatari, tumeni mtu",
    ],
    "an assault with screams": [
        "an officer is forcing a woman into the store room and she is screaming",
        "mlinzi anamlazimisha mwanafunzi aingie gari na anapiga mayowe",
        "askari anamvuta dada ndani ya choo anapiga nduru",
    ],
    "someone driven off": [
        "my son grabbed outside the mosque by men in a taxi, the taxi is driving towards kariokor",
        "wamemchukua mpwa wangu kwa teksi, teksi inaelekea pangani",
    ],
    "missing since a few hours": [
        "my daughter has been missing since 2pm after police stopped her",
        "mwanangu hajaonekana tangu saa tisa, askari walimwita",
    ],
}
NOT_CRITICAL = {
    "a long absence": [
        "my uncle has been missing for weeks since the swoop at the mosque",
        "binamu yangu amepotea siku nane tangu askari walimchukua",
        "bro wangu hajarudi week mbili since karao walimnyaka",
    ],
    "a past or denied harm": [
        "riots broke out here in 2017 and shops were looted",
        "vita ilianza mwaka jana lakini sasa kuko shwari",
        "the man who threatened to shoot me last year is in prison, i feel safe now",
        "they were kicking the hawkers last friday",
    ],
    "a question or a rumour": [
        "if my son is detained how many days can they keep him",
        "ukishikwa na kanjo una haki gani?",
        "people are saying clashes have started in the next ward, is it true",
    ],
    "an arrest made to be paid off": [
        "kanjo wanakamata wachuuzi jioni alafu wanadai 1000 ndio uachiliwe",
    ],
    "a shop broken into, told after": [
        "wezi wamevunja kibanda changu usiku",
    ],
    "harassment told as still going on": [
        "asante kwa mkutano lakini askari bado wanatunyanyasa stage",
    ],
}
GRAVE = [
    "my son has been missing for a month after police took him",
    "askari walivunja mguu ya kijana wangu wakimkamata juzi",
]


def _cases(families: dict[str, list[str]]) -> list:
    return [
        pytest.param(text, id=f"{family}-{index}")
        for family, texts in families.items()
        for index, text in enumerate(texts)
    ]


@pytest.mark.parametrize("text", _cases(CRITICAL))
def test_an_emergency_told_in_everyday_words_is_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency == "critical"


@pytest.mark.parametrize("text", _cases(NOT_CRITICAL))
def test_what_is_over_long_asked_or_rumoured_is_not_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency != "critical"


@pytest.mark.parametrize("text", GRAVE)
def test_a_long_absence_or_a_broken_limb_is_grave_but_not_an_emergency(text):
    assert classify(text).urgency == "high"


@pytest.mark.parametrize("text", [*_cases(CRITICAL), *_cases(NOT_CRITICAL), *GRAVE])
def test_these_messages_are_unseen_by_training_and_evaluation(text, closest_known_message):
    assert closest_known_message(text) < 85
