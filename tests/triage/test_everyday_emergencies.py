"""Emergencies told in everyday words, not named, are critical in every language (what reads
like one and is not is in test_everyday_calm.py).

The rules alone (a model with no opinion) must see each family; none of these sentences is in
the corpus or the evaluation set.
"""

import pytest

from tests.helpers import families_as_cases
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
    "a death threat said without the word kill": [
        "the officer who beat my cousin stopped me at the shop today and said you are next",
        "jamaa wa squad wamenitumia sms leo eti utapatikana mochari kabla ya ijumaa",
        "askari amemwambia mama utazika mwingine ukienda kortini, bado wamesimama nje ya mlango",
        "hawa wasee wa kanjo wameniambia wewe ndio next, wamepark nje ya kibanda",
    ],
    "a bullet in him, or a threat to shoot me for money": [
        "kaka ako na risasi kwa paja na hakuna gari ya kumpeleka hosi",
        "karao ananitishia kunipiga risasi kama sitampa elfu mbili",
    ],
    "surrounded with no way out": [
        "tumezingirwa na askari kwa hii nyumba na hatuwezi kutoka",
    ],
    "taken half an hour ago": [
        "mjomba amebebwa na watu wa gari nyeusi nusu saa iliyopita pale roundabout ya pumwani",
        "four men in a car without plates grabbed my cousin outside the barbershop half an hour ago",
    ],
    "a threat that they will kill, said as 'wataua'": [
        "vijana wa kundi lile wametuma ujumbe kwa group ya ploti eti wataua mtu wa kwanza atakayeongea",
    ],
    "locked at a station, ill and without medicine": [
        "my father is locked at pangani station since morning without his insulin and he keeps vomiting",
    ],
    "a crowd with fuel round someone now": [
        "hapa stage sai hii wasee wamemshika boy wanasema ni mwizi, wameleta petrol na matairi",
        "a mob has grabbed a boy they call a thief at the market right now and someone brought petrol",
    ],
}


@pytest.mark.parametrize("text", families_as_cases(CRITICAL))
def test_an_emergency_told_in_everyday_words_is_critical(text, undecided_model):
    assert classify(text, undecided_model).urgency == "critical"


@pytest.mark.parametrize("text", families_as_cases(CRITICAL))
def test_these_emergencies_are_unseen_by_training_and_evaluation(text, closest_known_message):
    assert closest_known_message(text) < 85
