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
    "harmed a moment ago": [
        "my cousin has just been grabbed by three men outside the chemist",
        "the watchman was stabbed 10 mins ago near the gate of the estate",
        "kijana wa jirani amepigwa risasi dakika tano zilizopita pale mtaani",
        "ndo wamemchukua dada yangu pale kwa kibanda cha mama mboga",
    ],
    "a body failing in custody": [
        "mjomba ameanza kutapika damu ndani ya seli na hawajamletea daktari",
        "my father is starting to faint in the police cells, he has no medicine for his heart",
        "cousin ameanza kuzirai kwa cell ya central na karao hawamsaidii",
    ],
    "still bleeding": [
        "a hawker hit by a baton is still bleeding by the roadside",
        "kijana amedungwa kisu sokoni na damu bado inatoka",
    ],
    "hanging in a cell": [
        "a young man is hanging from the bars in the cell and nobody is cutting him down",
        "mfungwa mmoja anajinyonga ndani ya seli ya kituo na askari hawaji",
    ],
    "hunted door to door": [
        "they are hunting for my brother, going from house to house with rungus",
        "wanamsaka mume wangu nyumba kwa nyumba mtaani kwetu",
        "wasee wanamhunt bro yangu keja kwa keja huku majengo",
    ],
    "forced into a vehicle": [
        "askari wanawalazimisha wanafunzi kuingia lori lao nje ya shule",
        "watoi wanalazimishwa kuingia probox pale kwa stage ya mathare",
    ],
    "gunfire heard": [
        "we can hear gunfire coming from the quarry side of the estate",
        "risasi zinasikika karibu na kanisa la mtaa wetu",
        "tunaskia ma-shots huku mtaa ya pili",
    ],
    "crying heard while a harm goes on": [
        "we can hear a boy crying in the back office of the station while they beat him",
        "tunawasikia wasichana wakilia ndani ya seli askari akiwanyanyasa kimapenzi",
    ],
    "taken today and not found": [
        "my nephew was taken at 7 this morning by men in plain clothes and his phone is off",
        "dada yangu alichukuliwa saa mbili asubuhi na watu wasiojulikana, hatujui yuko wapi",
    ],
    "missing since a few hours": [
        "my daughter has been missing since 2pm after police stopped her",
        "mwanangu hajaonekana tangu saa tisa, askari walimwita",
    ],
    "not arrived, told by the hours": [
        "my girl of 7 went to the shop at 4pm, it is now 8pm and she has not come back",
        "our daughter left school at 3 and it is 7 and she still not home, her teacher has no idea",
        "mtoto wangu wa miaka sita alienda dukani saa kumi jioni hajarudi mpaka sasa",
        "kijana wetu hajafika nyumbani tangu asubuhi alipotoka kwenda shule",
        "dogo wangu hajarudi keja since mchana na simu yake imezima",
    ],
    "armed men gathering or on the move, people fleeing": [
        "around 30 youths carrying machetes are marching towards the market, traders running",
        "vijana wanakusanyika na mapanga karibu na kanisa, watu wanakimbia",
        "mbogi wanajipanga na mawe pale stage, maduka zinafungwa",
        "men are gathering stones behind the mosque as the preacher shouts",
    ],
    "death foretold for tonight": [
        "they told my brother he will die tonight if he stays in this estate",
        "wamemwambia jirani yetu atakufa leo usiku kwa sababu ya ushahidi wake",
        "msee amekuja kwa mlango ya buda akisema utadedi leo usiku",
        "tutakumaliza leo usiku wewe na familia yako, nifanye nini",
        "a note under my door says we know where you live, tonight is your night. what should i do",
    ],
    "under water now": [
        "a boy is drowning in the dam at kariobangi and the askaris are just watching",
        "mtoto amesombwa na maji mtoni baada ya polisi kuwafukuza",
        "jamaa alijitupa mtoni akikimbia kanjo na hajaibuka",
    ],
    "locked in, crying heard": [
        "they locked him inside the container and we can hear him screaming",
        "walinzi wamemfungia kijana ndani ya stoo tunamsikia akipiga kelele",
    ],
    "surrounded by armed men": [
        "we are surrounded by a mob with clubs at the bus stop",
        "tumezingirwa na vijana wenye mapanga hapa sokoni",
        "the gang has surrounded the school with guns",
    ],
    "a detainee's body failing or illness untreated": [
        "my husband is in the cells at pangani and he has chest pain, they refuse to take him to hospital",
        "mama yuko seli ana kisukari na hajapewa dawa tangu jana, anazidi kuwa mbaya",
        "bro ako cell ana asthma na inhaler iko na mimi, ameanza kuhema",
        "my brother has been in custody since morning and is having a seizure",
    ],
    "struck while a gang shoots": [
        "gang wanashoot kwa estate na msee ameguzwa kwa mguu",
        "watu wenye bunduki wanafyatua risasi na mtoto amepigwa risasi",
        "mbogi na mapanga wako kwa corner na msee ashachomwa kisu",
        "a gang with machetes is at the market and a trader has been slashed",
    ],
    "buried under a fallen building": [
        "the wall of the new flats fell on the workers, two are trapped under the rubble, we hear them",
        "ukuta wa ploti umewaangukia watoto wawili, wamekwama chini yake, tunasikia wakilia",
        "mjengo imeporomoka kwa stage ya gikomba, mafundi wako stuck chini ya building",
    ],
    "a flood rising round people": [
        "floods in mathare, my mother and the kids are stuck in the house and the water is rising",
        "maji yanaongezeka mukuru, tuko juu ya paa na wazee wawili",
        "mto imefurika kibera, wasee wako kwa roof na maji inapanda",
    ],
    "fallen into a pit or a well": [
        "a little boy fell into an open manhole on jogoo road, he is crying and we cannot reach him",
        "mtoto wa jirani ametumbukia kisimani, tunasikia analia",
        "katoto kametumbukia kwa shimo ya choo pale plot, hatuwezi mtoa",
    ],
    "not home at a late hour": [
        "my son aged 7 went out to play at 3pm, it is now 10pm and he is not home",
        "msichana wangu alitoka shule saa kumi, sasa ni saa nne usiku na hayuko nyumbani",
    ],
    "a death foretold for tonight": [
        "the gang came to our door this evening and told my brother he will not see tomorrow",
        "wale jamaa wamekuja kwa keja leo, wanasema chali hatacheki kesho",
        "wamemwambia baba leo usiku hataona asubuhi",
    ],
    "groups arming, a fight about to start": [
        "two groups are gathering at the bridge with pangas and stones, a fight could start any minute",
        "mbogi mbili zinajipanga na panga kwa stage, vita inaweza anza muda wowote",
        "vikundi viwili vya vijana vinajipanga na mawe sokoni, vita itaanza wakati wowote",
    ],
    "a detainee denied medicine, someone locked in or trapped by fire": [
        "my uncle is diabetic and locked up at kilimani, not giving him his medicine, he is vomiting",
        "baba yuko ndani kituo cha kasarani ana presha, hawampi dawa na ametapika",
        "askari amemfungia msichana ndani ya ofisi, tunamsikia akipiga kelele",
        "the matatu is on fire and a passenger can not get out",
        "nyumba inaungua na bibi hawezi kutoka, yuko ndani",
    ],
    "hate chanted while stones fly": [
        "vijana wanaimba nyimbo za chuki huku wakirusha mawe kwa kanisa sasa hivi",
        "a crowd is chanting hate songs and hurling rocks at the shops right now",
    ],
    "a threat to shoot told with a condition": [
        "the officer is at my gate with a friend, says if i dont pay today they will break in and shoot",
    ],
    "a threat heard with one's own ears, or a gun drawn": [
        "two askaris dragged my uncle behind the market, i heard one of them say shoot him, come fast",
        "the officer at the kiosk has pulled out a gun and says nobody leaves till we pay",
        "they are holding my son at the checkpoint and say they will make him disappear if we dont pay",
    ],
    "groups set to fight today": [
        "mbogi ya kona na ya stage wanajipanga kupigana leo usiku, kila mtu amejificha",
        "the youths of the two estates are gathering to fight this evening near the bridge",
    ],
    "a flood round people, a child lost since the afternoon, a blast with people hurt": [
        "flooding in mathare north, my grandmother is stuck on the roof, send help",
        "my 5 year old son got lost at the market this afternoon and we cannot find him",
        "mtungi wa gesi umelipuka kwa plot, watoto wawili wameumia vibaya",
    ],
    "terse shorthand": [
        "pls hlp kayole",
        "jst grabbed my bro at the stage by men in a noah",
        "sm1 badly bitten by police dogs at the market nw",
        "wamemshk kijana wamempiga hadi amezimia kwa stage",
        "mafuriko mukuru kwa reuben, nyumba zimejaa maji na watoto wamekwama ndani",
    ],
    "threatened now, or an attack threatened for today": [
        "askari yuko nje ya ploti sasa hivi ananitishia kwa sababu sikumpa pesa",
        "vijana wa kona wanatishia kuvamia nyumba za wageni leo jioni",
        "msichana wangu amesema ataenda somalia kesho na rafiki zake wa mtandaoni",
    ],
    "a plea for help now, with something heard said besides": [
        "niko stage sasa, askari wanafyatua risasi, kijana ameanguka, watu wanasema amekufa, saidieni",
        "we are at the gate now, they are loading people into a lorry, some say one was shot, send help now",
    ],
    "a family told they will be burned inside": [
        "wamebandika barua kwa mlango wetu eti tuhame kabla ya jumamosi ama watawachoma ndani",
    ],
    "a verb typed in two, a crowd chanting with stones, houses swept away": [
        "askari wame mchukua kijana wetu sasa hivi pale stage",
        "kundi linapita sasa hivi wakiimba nyimbo za kufukuza wageni, wamebeba mawe",
        "mto umefurika usiku huu na nyumba zinasombwa, watoto wawili hawajulikani walipo",
    ],
    "hiding from someone now": [
        "a man with a knife is looking for me, i am hiding in the toilet of the hotel, please",
        "wanaume wawili wananifuata, nimejificha kwa duka la jirani sasa hivi",
    ],
    "leaving tonight to join fighters": [
        "my nephew packed a bag saying he will join the brothers, his bus leaves tonight from eastleigh",
        "kijana wetu anasema anaenda kwa wapiganaji, anaondoka leo usiku kwa bus ya mandera",
    ],
    "a returnee told he will die": [
        "nimerudi kutoka somalia na leo nimepokea ujumbe ati msaliti mtakufa nyote",
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


@pytest.mark.parametrize("text", _cases(EVERYDAY))
def test_an_everyday_nuisance_habit_or_revenge_is_not_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency != "critical"
    assert classify(text).urgency != "critical"


@pytest.mark.parametrize("text", GRAVE)
def test_a_long_absence_or_a_broken_limb_is_grave_but_not_an_emergency(text):
    assert classify(text).urgency == "high"


@pytest.mark.parametrize("text", [*_cases(CRITICAL), *_cases(NOT_CRITICAL), *_cases(EVERYDAY), *GRAVE])
def test_these_messages_are_unseen_by_training_and_evaluation(text, closest_known_message):
    assert closest_known_message(text) < 85


@pytest.mark.parametrize(
    "text",
    [
        "asanteni polisi wa kituo kwa kumkamata mwizi aliyetuibia, sasa tunalala kwa amani",
        "asanteni polisi kwa kumwokoa msichana aliyekuwa amepotea sokoni na kumrudisha kwa mamake, safi",
    ],
)
def test_sure_thanks_for_what_officers_did_is_checked_not_called_an_emergency(text):
    result = classify(text)
    assert (result.category, result.urgency, result.possible_emergency) == ("feedback", "low", True)
