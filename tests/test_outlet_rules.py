"""Outlets on made-up sentences: the channel or body a quote came through, the rule that found
it, and never a person's employer or a new occasion's."""
from __future__ import annotations

import pytest

from quotes.extract.pipeline import Extractor

EX = Extractor(engine="rules")
N = "\n\n"


def outlet_of(text: str, needle: str):
    start = text.index(needle)
    hit = [q for q in EX.extract(text) if q.start == start]
    assert hit, f"no quote at {needle!r}"
    return hit[0].outlet


CASES = [
    # an agency that quoted someone as saying: the agency is the outlet, the one quoted the speaker
    ("Xinhua quoted Foreign Ministry spokesman Wang Wenbin as saying: “China firmly opposes this.”", "“China",
     "Xinhua", "agency"),
    ("“The flood is receding,” Bernama quoted the state governor as saying.", "“The", "Bernama", "agency"),
    ("Reuters quoted a senior official as saying the talks had “collapsed”.", "“collapsed", "Reuters", "agency"),
    # the world's national news agencies by name
    ("“We will talk,” Ana Ruiz told Anadolu.", "“We", "Anadolu Agency", "agency"),
    ("“We will talk,” Ana Ruiz told Yonhap on Monday.", "“We", "Yonhap", "agency"),
    # agencies and papers
    ("“We will not back down,” the ministry said in a statement carried by the state-run Korean Central News "
     "Agency (KCNA).", "“We", "Korean Central News Agency", "agency"),
    ("“We are ready,” Ana Ruiz told Reuters.", "“We", "Reuters", "agency"),
    ("“I like food,” Riham told the Times of Oman.", "“I", "Times of Oman", "agency"),
    ("The Mail & Guardian has it on good authority that the talks failed." + N
     + "“Paul knew what he was doing,” one party leader told M&G.", "“Paul", "Mail & Guardian", "agency"),
    ("“We are ready,” Ana Ruiz said in an interview with the Ghana News Agency.", "“We", "Ghana News Agency",
     "agency"),
    ("“We are ready,” the minister was quoted by the Press Trust of India as saying.", "“We",
     "Press Trust of India", "agency"),
    ("“The talks are over,” the APS agency reported.", "“The", "APS agency", "agency_speaker"),
    # platforms
    ("“We are ready,” Ana Ruiz tweeted.", "“We", "Twitter", "platform"),
    ("“I apologize for my remarks,” the lawmaker wrote on Facebook.", "“I", "Facebook", "platform"),
    ("In a Facebook post, Ana Ruiz wrote: “We are ready.”", "“We", "Facebook", "platform"),
    # media
    ("“The Greens will bring these reforms,” Ms Thorpe said in a statement.", "“The", "statement", "medium"),
    ("“We are ready,” the ministry said in a press statement.", "“We", "press statement", "medium"),
    ("“We are ready,” the ministry said, according to a press release.", "“We", "press release", "medium"),
    ("“We are ready,” she said in an email.", "“We", "email", "medium"),
    ("“It is a humanitarian disaster,” Rosario Murillo said on state television.", "“It",
     "state television", "medium"),
    ("“The president ordered a review,” Kang said during the briefing.", "“The", "briefing", "medium"),
    ("The Pan American Health Organization sent a letter to the minister." + N
     + "“We understand your position,” the letter states.", "“We", "letter", "document_speaker"),
    # the body a spokesperson speaks for
    ("Joburg Central police spokesperson Captain Xoli Mbele said: “We arrested him on Monday.”", "“We",
     "Joburg Central police", "spokesperson"),
    ("“We call on Ramaphosa not to act,” said ATM national spokesperson Sibusiso Mncwabe.", "“We", "ATM",
     "spokesperson"),
    ("“The Islamic Republic condemns the attempt,” Foreign Ministry spokesman Abbas Mousavi said.", "“The",
     "Foreign Ministry", "spokesperson"),
    # the same occasion goes on
    ("“I like food,” Riham told the Times of Oman." + N + "Riham did not open the restaurant at once." + N
     + "“It was a way of perfecting my skills,” she said.", "“It", "Times of Oman", "carry_over"),
    ("Musyoki, in an exclusive interview with TUKO.co.ke, said he met Deborah on Facebook." + N
     + "“I sent her a friend request,” Musyoki recalled.", "“I", "TUKO.co.ke", "carry_over"),
    ("Late on Monday night, the Judicial Service Commission issued a media statement on the judge." + N
     + "The commission met on Monday." + N + "“The JSC resolved to advise the president,” said the commission.",
     "“The JSC", "media statement", "carry_over"),
    ("“The coup is dangerous,” the ministry said in a statement carried by the Korean Central News Agency."
     + N + "“The situation is grave,” the statement continued.", "“The situation", "Korean Central News Agency",
     "carry_over"),
]


@pytest.mark.parametrize("text, needle, name, rule", CASES)
def test_outlet(text, needle, name, rule):
    outlet = outlet_of(text, needle)
    assert outlet is not None, "no outlet"
    assert (outlet.name, outlet.rule) == (name, rule) or (rule == "carry_over" and outlet.name == name)


NO_OUTLET = [
    ("“We are ready,” Ana Ruiz told reporters.", "“We"),
    ("“We are ready,” Ana Ruiz told Bo Li.", "“We"),
    ("“We are ready,” Ana Ruiz said at a press conference.", "“We"),
    # a person's employer is no outlet
    ("“We call on the government to act,” said Amnesty International's Jane Doe.", "“We"),
    ("“We call on the government to act,” said Jane Doe, a researcher at Amnesty International.", "“We"),
    # a new occasion keeps no outlet from before
    ("“I like food,” Riham told the Times of Oman." + N + "“It was hard,” she told reporters at a press "
     "conference.", "“It"),
    ("“The coup is dangerous,” North Korea said in a statement carried by KCNA." + N
     + "North Korea condemned the inauguration in January. North Korea called it “an abnormal situation.”",
     "“an abnormal"),
    # a word or two no reporting verb attributes is the reporter's echo, not the occasion's
    ("“The coup is dangerous,” North Korea said in a statement carried by KCNA." + N
     + "North Korea adopted the regime’s description of the uprising as a “coup” and urged calm.", "“coup”"),
    # "sent a message" is an idiom as often as a medium
    ("In early 2018, the party sent a message to Maduro expressing “the firm support of the party.”",
     "“the firm"),
    # a statement named only after a quote does not reach back to it
    ("“We will bring these reforms,” Lidia Thorpe said." + N + "“Sovereignty was never ceded,” Ms Thorpe "
     "said in a statement.", "“We"),
    # a person who quotes someone is no outlet
    ("He quoted his father as saying: “Never give up.”", "“Never"),
    # a date after "released on", "published in" is no outlet
    ("“Most voters want a referendum,” a poll released on Monday shows.", "“Most"),
    ("“The river is dying,” says a report published in March by the water board.", "“The river"),
]


@pytest.mark.parametrize("text, needle", NO_OUTLET)
def test_no_outlet(text, needle):
    assert outlet_of(text, needle) is None


@pytest.mark.parametrize("text, needle, speaker", [
    ("Xinhua quoted Foreign Ministry spokesman Wang Wenbin as saying: “China firmly opposes this.”", "“China",
     "Wang Wenbin"),
    ("“The flood is receding,” Bernama quoted the state governor as saying.", "“The", "state governor"),
    ("The state news agency IRNA quoted President Hassan Rouhani as saying: “We will not negotiate.”", "“We",
     "Hassan Rouhani"),
    ("He quoted his father as saying: “Never give up.”", "“Never", "father"),
])
def test_the_one_quoted_as_saying_is_the_speaker(text, needle, speaker):
    (q,) = [q for q in EX.extract(text) if q.start == text.index(needle)]
    assert (q.speaker.name, q.sieve) == (speaker, "quoted_as")
