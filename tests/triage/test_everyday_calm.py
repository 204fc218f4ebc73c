"""What reads like an emergency told in everyday words and is not one: a long absence, a harm
told as over, a question, a rumour, a shakedown, a nuisance or a habit, thanks; a grave harm
after the fact is high. None of these sentences is in the corpus or the evaluation set.
"""

import pytest

from tests.helpers import families_as_cases
from triage import classify

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
    "gone long, a threat long past, a drowning asked about": [
        "my son went missing three weeks ago after leaving for school at 7am",
        "he threatened last year that i would die, now he has moved away",
        "is it true a boy drowned in the river last month?",
        "the mob surrounded the thief last month and police rescued him",
        "my son was held last year and he had asthma",
    ],
    "a hazard told as over or asked about": [
        "the building collapsed in 2019 and the owner was never charged",
        "is it true that a wall collapsed in kayole last week?",
        "maji yalifurika mwezi jana, sasa tunaomba msaada wa mabati",
        "my son fell into a pit latrine last month but he is fine now",
        "my child is not home yet, she is at her grandmother's for the holidays",
        "the water is rising in the dam, good news for my children and the farmers",
        "mkutano wa amani kuhusu vita utaanza muda wowote",
    ],
    "a revenge vowed, days held, goods seized for a fee": [
        "wazazi wa yule kijana aliyeuawa wanasema watalipiza kisasi kwa familia yetu",
        "the family of the boy who was killed say they will take revenge on the returnee",
        "mwanangu yuko ndani siku ya nne sasa na hawajamshtaki",
        "my brother is in custody, this is the fifth day now and he has not been charged",
        "kanjo wamechukua mkokoteni wangu sasa hivi wanataka elfu mbili ndio wairudishe",
    ],
    "a death in a cell told with a hanging": [
        "my nephew died at the police post on friday, they claim he hanged himself with his belt",
    ],
    "a harm seen in a clip on social media": [
        "nimeona video kwa tiktok askari wakimpiga dereva wa matatu, inasikitisha",
        "i saw a video on twitter of officers kicking a hawker in nakuru, disgusting",
    ],
    "so that, not just then; a house shut, not a person": [
        "askari wanasema tulipe elfu mbili ndio tumwone ndugu yetu kwa seli",
        "mwenye ploti amefunga duka langu na bidhaa zote ndani, anadai kodi ya miezi miwili",
    ],
    "a killing feared, not threatened; a quarrel": [
        "ndugu yangu ameachiliwa lakini anaogopa atauawa na askari wa kituo, tunaomba ushauri",
        "wachuuzi wa soko la wakulima wanagombana kuhusu nafasi za kuuza bidhaa",
    ],
    "a rumour heard, not heard happening": [
        "i heard police shot a boy near the stadium yesterday, is it true",
    ],
    "gone since earlier this week": [
        "vijana watatu wa mtaa wamepotea wiki hii baada ya kuahidiwa kazi",
    ],
}
# Ordinary words that read like an emergency, judged with the shipped model as well as the rules.
EVERYDAY = {
    "music or drums played": [
        "the bar on our lane blasts loud music till 3am and we cannot sleep",
        "kanisa jirani wanapiga ngoma mpaka saa sita usiku, watoto hawalali",
        "hii club inapiga mziki usiku mzima bana",
    ],
    "a thing taken, not a person": [
        "pesa zetu zinachukuliwa na askari wa kaunti kila tukipanga bidhaa",
        "my phone just got snatched at the bus stop by a thief",
    ],
    "a gang crime that keeps happening": [
        "gangs rob people with knives at the footbridge in the evenings",
        "kuna kundi la vijana wanaowapora watu simu na panga jioni pale darajani",
    ],
    "a threat of revenge": [
        "after we reported the officer who slapped my wife, his colleagues say we will pay for it",
        "tangu tuliporipoti askari aliyempiga mwanangu, wenzake wanatuambia mtajuta",
    ],
    "heard before, asked or rumoured": [
        "we heard gunshots near the quarry last month",
        "is it true that a man is hanging in the cells at the station?",
        "police went door to door in 2019 counting residents",
    ],
    "a harm said of a thing, or an idiom of success": [
        "the noise from the garage is killing us every single day",
        "these fuel prices are killing us ordinary people",
        "the new ocs is killing it, crime has dropped",
        "foleni ya bodaboda inatuua kila asubuhi",
        "the price of unga is killing us, serikali saidia",
        "the floods swept away our chicken and the roof",
    ],
    "an identity check with no harm": [
        "askari wanakagua vitambulisho vya kila mtu stage, ni kawaida",
        "karao wananyaka kila msee hana kitambulisho pale kwa stage",
        "makarao wanashika kila mtu bila ID stage ya bus",
    ],
    "a beating and a bribe every week, with no receipt": [
        "kanjo wanatuchapa na kutuitisha elfu bila risiti kila wiki pale soko",
    ],
    "a bribe demanded as a habit, or demanded no more": [
        "traffic wa jogoo road wanaitisha madereva mia mbili kila morning, ukikataa wanakushika",
        "asante, karao wa stage wamepunguza kuitisha hongo, sai tunapiga job poa",
    ],
    "thanks for a lost thing found": [
        "thank you officer for helping me find my lost wallet",
        "asante kwa askari aliyenisaidia kupata simu yangu ilikuwa imepotea",
    ],
}
GRAVE = [
    "my son has been missing for a month after police took him",
    "askari walivunja mguu ya kijana wangu wakimkamata juzi",
    "askari walimchapa mjomba wangu juzi usiku, sahii amelazwa hospitali ya mbagathi",
    "police clobbered my son at the protest on monday and now he is admitted at knh",
]


@pytest.mark.parametrize("text", families_as_cases(NOT_CRITICAL))
def test_what_is_over_long_asked_or_rumoured_is_not_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency != "critical"


@pytest.mark.parametrize("text", families_as_cases(EVERYDAY))
def test_an_everyday_nuisance_habit_or_revenge_is_not_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency != "critical"
    assert classify(text).urgency != "critical"


@pytest.mark.parametrize("text", GRAVE)
def test_a_long_absence_or_a_broken_limb_is_grave_but_not_an_emergency(text):
    assert classify(text).urgency == "high"


@pytest.mark.parametrize("text", [*families_as_cases(NOT_CRITICAL), *families_as_cases(EVERYDAY), *GRAVE])
def test_these_messages_are_unseen_by_training_and_evaluation(text, closest_known_message):
    assert closest_known_message(text) < 85


@pytest.mark.parametrize(
    "text",
    [
        "asanteni polisi wa kituo kwa kumkamata mwizi aliyetuibia, sasa tunalala kwa amani",
    ],
)
def test_sure_thanks_for_what_officers_did_is_checked_not_called_an_emergency(text):
    result = classify(text)
    assert (result.category, result.urgency, result.possible_emergency) == ("feedback", "low", True)


@pytest.mark.parametrize("text", ["Sasa", "sasa msee", "Niaje boss", "Mambo vipi", "Hello?", "sasa sasa"])
def test_a_greeting_alone_is_neither_an_emergency_nor_a_possible_one(text):
    result = classify(text)

    assert (result.category, result.urgency, result.possible_emergency) == ("other", "low", False)


@pytest.mark.parametrize("text", ["Sasa, karao wamemshika bro yangu", "niaje saidia", "Hello help us please"])
def test_a_greeting_before_a_harm_or_a_plea_does_not_hide_it(text):
    assert classify(text).urgency == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "mwanangu amesajiliwa na kundi la msikiti mpya, anaondoka kesho alfajiri kwa basi la mandera",
        "my nephew was recruited by that preacher, he leaves at 3am tonight for the border",
    ],
)
def test_someone_drawn_in_leaving_at_an_hour_named_is_critical(text):
    result = classify(text)
    assert (result.category, result.urgency) == ("recruitment_concern", "critical")


@pytest.mark.parametrize(
    "text",
    [
        "big up kwa askari wa kariokor aliyesaidia kijana aliyekuwa anapigwa na wezi mwezi jana",
        "asanteni polisi kwa kumwokoa msichana aliyekuwa amepotea sokoni na kumrudisha kwa mamake, safi",
    ],
)
def test_thanks_for_saving_someone_who_was_in_danger_then_is_praise_with_nothing_to_check(text):
    result = classify(text)
    assert (result.category, result.urgency, result.possible_emergency) == ("feedback", "low", False)
