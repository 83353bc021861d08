"""A report's transfer status comes from its wording. The cases are phrased as the BBC gossip
column (2021-22) and BBC Sport (2004-05) phrase them, from ../shared/corpora."""

import pytest

from bot.transfer_status import Status, read_status

EXTENSION = "contract extension"
REAL_PHRASING = [
    # interest
    ("Leicester City are interested in signing Watford midfielder Nathaniel Chalobah.", "interest"),
    ("Real Madrid are monitoring Manchester City forward Raheem Sterling.", "interest"),
    ("Gerrard wants to sign Spain centre-back Pau Torres, 24, from Villarreal.", "interest"),
    ("Roma have joined the race to sign Brighton's English defender Ben White.", "interest"),
    ("Newcastle boss Eddie Howe is lining up Stoke's striker Tyrese Campbell.", "interest"),
    ("Eddie Howe and Steve Clarke are among the favourites to replace Neil Lennon.", "interest"),
    # bid, including bids that were turned down
    ("Newcastle have made a bid for Sevilla's 28-year-old Brazilian defender Diego Carlos.", "bid"),
    ("West Ham are planning a £15m bid for England midfielder Jesse Lingard.", "bid"),
    ("Wolves have made an approach for Sporting Lisbon midfielder Joao Palhinha.", "bid"),
    ("Inter Milan rejected their initial offer of £85m for Romelu Lukaku.", "bid"),
    ("Arsenal have had a £20m bid turned down by Sassuolo.", "bid"),
    ("Spurs are closer to a deal, having seen a £15m bid for him turned down this week.", "bid"),
    # talks
    ("Reading are in talks with Chelsea over a move for Danny Drinkwater.", "talks"),
    ("AC Milan are set to open negotiations with Chelsea over Tiemoue Bakayoko.", "talks"),
    ("Bayern Munich have opened talks to appoint Julian Nagelsmann as their manager.", "talks"),
    # agreed
    ("Liverpool have agreed personal terms with RB Leipzig defender Ibrahima Konate.", "agreed"),
    ("Barcelona have agreed a deal to sell midfielder Carles Alena to Getafe.", "agreed"),
    ("Eddie Howe has agreed to become the new manager of Celtic.", "agreed"),
    ("Reading defender Omar Richards has agreed to join Bayern Munich on a free.", "agreed"),
    ("Arsenal are closing in on a deal to sign Sporting striker Tiago Tomas.", "agreed"),
    ("Everton and manager Rafael Benitez have agreed to part company.", "agreed"),
    ('Inter Milan\'s Achraf Hakimi has "verbally agreed" to join Chelsea.', "agreed"),
    ("Achraf Hakimi has 'verbally agreed' to join Chelsea.", "agreed"),
    ("Achraf Hakimi has «verbally agreed» to join Chelsea.", "agreed"),
    # done
    ("Newcastle United have completed a deal to sign Bruno Guimaraes from Lyon.", "done"),
    ("Liverpool have completed the signing of forward Abdul Fatawu Issahaku.", "done"),
    ("Joe Willock says he signed for Newcastle because he hit it off with Steve Bruce.", "done"),
    ("Paul Lambert left his job at Ipswich Town by mutual consent.", "done"),
    ("Inter Milan have won the race to sign the Shamrock Rovers teenager.", "done"),
    ("Wolves' newly appointed head coach Bruno Lage has been told Neves is for sale.", "done"),
    ("Borussia Dortmund appear set to seal a £26m move for Donyell Malen.", "agreed"),
    ("Tottenham will confirm the appointment of Fabio Paratici this week.", "agreed"),
    # contract extension
    ("Arsenal boss Arsene Wenger has signed a new contract until 2008.", EXTENSION),
    (
        "Stefan Radu has reached an agreement with the club to extend his contract.",
        "contract extension",
    ),
    (
        "Paris St-Germain hope Neymar will sign a four-year contract extension.",
        "contract extension",
    ),
    # denied
    ("Roberto Mancini has denied reports of a move back to the Premier League.", "denied"),
    ("Brendan Rodgers has dismissed links to the vacancy at Tottenham.", "denied"),
    ("James Rodriguez has ruled out a return to Real Madrid.", "denied"),
    ("Eden Hazard is not interested in joining Newcastle.", "denied"),
    ("Idrissa Gueye has turned down the chance to join Newcastle United on loan.", "denied"),
    ("Eddie Howe turned down Celtic as he is willing to bide his time.", "denied"),
    ("Tuchel has played down talk that Chelsea tried to sign Harry Kane.", "denied"),
    ("Chelsea insist Frank Lampard is not for sale.", "denied"),
    ("Aubameyang has made it clear he is not interested in moving to Saudi Arabia.", "denied"),
    ("Timo Werner's agent has insisted the German striker will remain at Chelsea.", "denied"),
    # a new contract turned down is no extension
    ("Youri Tielemans has turned down the offer of a contract extension.", "denied"),
    ("Sergio Ramos has rejected the offer of a new two-year contract.", "denied"),
    ("Franck Kessie, 24, has rejected a contract extension at AC Milan.", "denied"),
    # plain rumour: nothing says what stage it is at
    ("Sergi Roberto could be out for six weeks with a leg injury.", "rumour"),
    ("Daniel Levy remains hopeful of persuading Mauricio Pochettino to return.", "rumour"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_PHRASING)
def test_real_phrasing_reads_as_its_status(text, expected):
    assert read_status(text).status.value == expected


def test_a_denial_outranks_the_advances_it_denies():
    reading = read_status("Arsenal have denied making a bid for the Sassuolo midfielder.")
    assert reading.status is Status.DENIED


def test_a_contracted_negation_counts_as_one():
    assert read_status("He hasn't agreed to join Chelsea.").status is not Status.AGREED
    assert read_status("He hasn’t agreed to join Chelsea.").status is not Status.AGREED


def test_a_negated_cue_does_not_count():
    assert read_status("Inter Milan have not held any talks with De Vrij.").status is Status.RUMOUR
    reading = read_status("Crystal Palace could not agree personal terms with Eddie Nketiah.")
    assert reading.status is not Status.AGREED
    reading = read_status("The club failed to reach an agreement with his assistant.")
    assert reading.status is not Status.AGREED


def test_a_doubted_cue_does_not_count():
    reading = read_status("Edinson Cavani is still unsure whether he will remain at the club.")
    assert reading.status is Status.RUMOUR
    reading = read_status("Juan Mata does not know if he will stay at Manchester United.")
    assert reading.status is Status.RUMOUR


def test_the_reading_names_the_phrase_that_decided_it():
    reading = read_status("Wolves have made an approach for Sporting midfielder Joao Palhinha.")
    assert reading.cue == "made an approach"
    assert read_status("A quiet day at the training ground.").cue is None


def test_advancing_statuses_are_the_ones_a_denial_contradicts():
    assert {s for s in Status if s.advancing} == {
        Status.DONE,
        Status.AGREED,
        Status.BID,
        Status.TALKS,
    }
