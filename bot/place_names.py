"""Words that name places, nationalities, competitions or several clubs at once, rather than
whom a question is about.

"Which Italian club is Mutu talking to?" is about Mutu: reports say "Serie A side" or "Juventus"
as often as "Italian", and "the Reds" may be Liverpool, Manchester United or Benfica, so such
words are left out of the names a report must print. Folded (lower case, no accents); a name is
checked by its last word ("South America", "Premier League").
"""

from __future__ import annotations

_CONTINENTS = "europe european africa african asia asian america american americas oceania"
_COMPETITIONS = (
    "league cup liga ligue serie bundesliga eredivisie championship euro euros olympics "
    "olympic final finals prem premiership epl mls soccer"
)
# Club nicknames the alias table leaves out because they name several clubs.
_SHARED_CLUB_WORDS = (
    "united utd city reds blues whites hoops town rovers athletic albion wanderers county real"
    " deportivo eintracht borussia dons latics lilywhites rossoblu gialloblu"
    " rojiblancos azulgrana"
)
# Of a place named by several words, the last: a name is checked by its last word, and "Costa"
# (Rica), "Ivory" (Coast) or "Saudi" (Arabia) may be somebody's name ("Diego Costa"). Fans'
# words for nationalities and national teams ("Argie", "Socceroos") and for a city ("Brum")
# count too.
_COUNTRIES = """
england english scotland scottish wales welsh ireland irish britain british uk
france french germany german spain spanish italy italian portugal portuguese netherlands
holland dutch belgium belgian switzerland swiss austria austrian denmark danish dane norway
norwegian sweden swedish swede finland finnish iceland icelandic poland polish czech czechia
republic slovakia slovak hungary hungarian croatia croatian serbia serbian slovenia slovenian
bosnia bosnian herzegovina montenegro montenegrin albania albanian kosovo macedonia greece
greek turkey turkish russia russian ukraine ukrainian romania romanian bulgaria bulgarian
georgia georgian armenia armenian israel israeli cyprus
brazil brazilian argentina argentine argentinian uruguay uruguayan colombia colombian chile
chilean peru peruvian ecuador ecuadorian paraguay paraguayan venezuela venezuelan bolivia
bolivian mexico mexican usa canada canadian jamaica jamaican rica honduras panama
nigeria nigerian ghana ghanaian senegal senegalese cameroon cameroonian coast ivorian
morocco moroccan algeria algerian tunisia tunisian egypt egyptian mali malian guinea guinean gabon
gabonese congo congolese zambia zimbabwe angola angolan kenya faso
japan japanese korea korean china chinese australia australian zealand arabia qatar
qatari iran iranian iraq emirates uae
aussie kiwi argie argies socceroos
brum
"""

# Cities named as where a match was played ("the score in Rome") or for any of their clubs,
# whose names do not say the city: reports say "Roma" or "Lazio". A city in its clubs' names
# ("Madrid", "Manchester") is left for the reports to print; a city of one club is a name of it
# in the alias table ("Munich" is Bayern's).
_CITIES = "rome turin london istanbul glasgow athens seville"

SHARED_CLUB_WORDS = frozenset(_SHARED_CLUB_WORDS.split())
PLACE_WORDS = frozenset(
    " ".join([_CONTINENTS, _COMPETITIONS, _SHARED_CLUB_WORDS, _COUNTRIES, _CITIES]).split()
)

# A nationality and its country, as reports name a player by either ("German goalkeeper Bernd
# Leno", "Arsenal and Germany goalkeeper Bernd Leno"). Folded.
_NATIONALITIES = """
english:england scottish:scotland welsh:wales irish:ireland french:france german:germany
spanish:spain italian:italy portuguese:portugal dutch:netherlands dutch:holland belgian:belgium
swiss:switzerland austrian:austria danish:denmark dane:denmark norwegian:norway swedish:sweden
swede:sweden finnish:finland icelandic:iceland polish:poland czech:czech slovak:slovakia
hungarian:hungary croatian:croatia serbian:serbia slovenian:slovenia bosnian:bosnia
montenegrin:montenegro albanian:albania greek:greece turkish:turkey russian:russia
ukrainian:ukraine romanian:romania bulgarian:bulgaria georgian:georgia armenian:armenia
israeli:israel brazilian:brazil argentine:argentina argentinian:argentina uruguayan:uruguay
colombian:colombia chilean:chile peruvian:peru ecuadorian:ecuador paraguayan:paraguay
venezuelan:venezuela mexican:mexico american:usa american:united_states canadian:canada
jamaican:jamaica nigerian:nigeria ghanaian:ghana senegalese:senegal cameroonian:cameroon
ivorian:ivory_coast
moroccan:morocco algerian:algeria tunisian:tunisia egyptian:egypt malian:mali gabonese:gabon
guinean:guinea congolese:congo angolan:angola japanese:japan korean:korea chinese:china
australian:australia
aussie:australia kiwi:new_zealand argie:argentina argies:argentina socceroos:australia
"""
NATIONALITIES: dict[str, frozenset[str]] = {}
for _pair in _NATIONALITIES.split():
    _nationality, _country = _pair.split(":")
    _countries = NATIONALITIES.get(_nationality, frozenset())
    NATIONALITIES[_nationality] = _countries | {_country.replace("_", " ")}
