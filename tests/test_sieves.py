"""Attribution through the rules pipeline on short made-up texts: speaker names, the sieve that
decided, outlets. Correct expectations only; current defects are strict xfails."""
from __future__ import annotations

import pytest

from quotes.extract.pipeline import Extractor

EX = Extractor(engine="rules")


def quote_at(text: str, needle: str):
    start = text.index(needle)
    hit = [q for q in EX.extract(text) if q.start == start]
    assert hit, f"no quote at {needle!r}"
    return hit[0]


def xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


N = "\n\n"
CASES = [
    # trailing cue
    ("“We will win this election,” said Maria Lopez.", "“We", "Maria Lopez", "trailing_cue"),
    ("“We will win this election,” Maria Lopez said.", "“We", "Maria Lopez", "trailing_cue"),
    ("“We will win this election,” Maria Lopez told reporters on Monday.", "“We", "Maria Lopez", "trailing_cue"),
    ("Maria Lopez spoke on Monday." + N + "“We will win this election,” she said.", "“We", "Maria Lopez",
     "trailing_cue"),
    ("Quenby dismissed the criticism. “The boat will be ready by April,” she told reporters.", "“The",
     "Quenby", "trailing_cue"),
    ("Foreign Minister Jorge Arreaza met reporters. “We are ready,” Arreaza said.", "“We", "Jorge Arreaza",
     "trailing_cue"),
    # apposition
    ("“We will win this election,” said Maria Lopez, who replaced Tom Hardy as chairman in May.", "“We",
     "Maria Lopez", "trailing_cue"),
    ("“We are ready,” Maria Lopez, the former chairman of the party, said.", "“We", "Maria Lopez",
     "trailing_cue"),
    # a party tag between the name and the cue stays out of the name
    ("The panel met." + N + "“You destroy the whole basis of our government,” Rep. John Mica (R-Fla.) said.", "“You",
     "John Mica", "trailing_cue"),
    ("The panel met." + N + "“You destroy the whole basis of our government,” Rep. Jim Jordan (R-Ohio), a panel "
     "member, said in an interview.", "“You", "Jim Jordan", "trailing_cue"),
    # "City, State" inside an aside, or inside the subject
    ("The panel met." + N + "Clinton, during a town hall in Columbus, Ohio, said she was “going to put coal miners "
     "out of business.”", "“going", "Clinton", "leading_cue"),
    ("Kasich is assuring voters after a woman in Worcester, Massachusetts, told him he is “too nice to fend off "
     "his rivals.”", "“too nice", "woman", "leading_cue"),
    # inverted cues over a number, and a determiner phrase with a place after it
    ("Families met." + N + "“We are angry about the veto,” said 9/11 widow Terry Strada.", "“We", "Terry Strada",
     "trailing_cue"),
    ("The ad ran on Sunday." + N + "“So why didn’t he pay his?” a narrator in the Clinton ad asks. The spot ends.",
     "“So", "narrator", "trailing_cue"),
    # a participle between subject and cue: its object is not the speaker
    ("The city is under curfew. Protesters marching through the streets chanted “No justice, no peace” and "
     "kept going.", "“No justice", "Protesters", "leading_cue"),
    ("A man holding a sign shouted “Lock her up!” at the stage.", "“Lock", "man", "leading_cue"),
    # an adverbial phrase between subject and cue is not the speaker
    ("Beck, who has in the past described Trump as “a pathological narcissist,” spoke.", "“a path", "Beck",
     "reporting_clause"),
    ("It was complete when Trump in his announcement speech called immigrants “rapists.”", "“rapists", "Trump",
     "reporting_clause"),
    ("Ever since Bernie Sanders announced his candidacy, he has said the same thing at every campaign event: "
     "“The system is rigged.”", "“The system", "Bernie Sanders", "colon_intro"),
    # a clause is no speaker phrase; a name after a conjunction "that" is
    ("He notes that free speech comes with the limitation that you can’t yell “fire” in a theater.", "“fire”", "he",
     "sentence_subject"),
    ("The debate grew so heated over the bill that New Jersey Gov. Chris Christie said, “Stop it.”", "“Stop",
     "Chris Christie", "leading_cue"),
    # a coordinated clause after a partial quote does not credit it
    ("Ted Cruz accuses Obama of “dithering on terror” and Donald Trump says he is losing the war.", "“dithering",
     "Ted Cruz", "leading_cue"),
    ("Someone called it a “revolt of the voters” and I agree.", "“revolt", "Someone", "reporting_clause"),
    # a reporting verb that is a noun after its modifier ("of Republican claims") is no cue
    ("A study looked at fact checks. PolitiFact rated 32% of Republican claims as “false” or worse.", "“false”",
     "PolitiFact", "sentence_subject"),
    ("The paper was shared." + N + "\"Saudi Arabia shares the same threat,\" the Saudis state in the paper.", "\"Saudi",
     "Saudis", "trailing_cue"),
    # a quote opening its sentence, credited by a later clause of it
    ("Strategists are skeptical." + N + "\"He can assert it, but it seems unlikely\" that Sanders can win, said Steve "
     "Elmendorf, a former Kerry aide.", "\"He can", "Steve Elmendorf", "sentence_end_cue"),
    ("The court heard motions." + N + "“A new search” that would answer the requests, Justice Department counsel "
     "Caroline Wolverton wrote.", "“A new", "Caroline Wolverton", "sentence_end_cue"),
    # dash credits: quote cards and vox pops, the credit on the quote's line or the next paragraph
    ("Readers wrote in.\n\n“He never answers the question.” ― Esther Tapia\n“We can build a wall around him.” ―\xa0"
     "Steve Quinlan.\n\nGetty.", "“We can", "Steve Quinlan", "byline"),
    ("Readers wrote in.\n\n“He never answers the question.” ― Esther Tapia\n“We can build a wall around him.” ―\xa0"
     "Steve Quinlan.\n\nGetty.", "“He never", "Esther Tapia", "byline"),
    ("“Our schools are not for sale.”\n\n- Bernie Sanders.", "“Our", "Bernie Sanders", "byline"),
    ("“Our schools are not for sale.” -- Ana Ruiz", "“Our", "Ana Ruiz", "byline"),
    # a partial quote is never credited by the agency line after its paragraph
    ('Trump called him "my African American."\n\n- Reuters.', '"my African', "Trump", "reporting_clause"),
    # colon intro
    ("Maria Lopez said: “We will win this election and then we will govern.”", "“We", "Maria Lopez",
     "colon_intro"),
    ("Helen Achterberg said:" + N + "“The river rose higher than ever this winter.”", "“The",
     "Helen Achterberg", "colon_intro"),
    # according to
    ("“We will win this election,” according to Maria Lopez.", "“We", "Maria Lopez", "according_to"),
    ("According to Maria Lopez, “the vote is already won.”", "“the", "Maria Lopez", "according_to"),
    # cue in the next paragraph
    ("“We will win this election and then we will govern,”" + N + "Maria Lopez said on Monday.", "“We",
     "Maria Lopez", "next_paragraph_cue"),
    # continuation: same paragraph, next paragraph, multi-paragraph quote
    ("“We will win,” Maria Lopez said. “Then we will govern.”", "“Then", "Maria Lopez", "continuation"),
    ("“We will win,” Maria Lopez said." + N + "“Then we will govern for ten years.”", "“Then", "Maria Lopez",
     "continuation"),
    ("Helen Achterberg said:" + N + "“The river rose higher than ever." + N + "“We will raise the bank before "
     "the rains.”", "“The river", "Helen Achterberg", "colon_intro"),  # one quote over two paragraphs
    # the cue after a quote over two paragraphs stands after its last paragraph
    ("The mayor spoke on Friday." + N + "“The river rose higher than ever." + N + "“We will raise the bank,” "
     "Helen Achterberg said.", "“The river", "Helen Achterberg", "trailing_cue"),
    ("Engineers worked all night." + N + "“The river rose higher than ever." + N + "“We will raise the bank "
     "before the rains,”" + N + "Helen Achterberg said.", "“The river", "Helen Achterberg", "next_paragraph_cue"),
    # reported speech with a partial quote
    ("Lopez said the plan was “a betrayal of the voters” and left.", "“a betrayal", "Lopez", "leading_cue"),
    # "the statement continued" -> whoever issued it
    ("“The port will stay open,” the Harbour Ministry said. “Ships may dock as usual,” the statement "
     "continued.", "“Ships", "Harbour Ministry", "trailing_cue"),
    ("The Harbour Ministry issued a statement on Monday." + N + "“The port will stay open,” the ministry said. "
     "“Ships may dock as usual,” the statement continued.", "“Ships", "Harbour Ministry", "trailing_cue"),
    # "the party" -> the party named earlier
    ("The Green Party of Lindmark held its congress in Brenford. “We will win the next election,” the party "
     "said in a statement.", "“We", "Green Party of Lindmark", "trailing_cue"),
    # transcript
    ("SMITH: “Do you expect to win?”" + N + "LOPEZ: “Yes, we will win.”", "“Do", "SMITH", "transcript"),
    ("An edited transcript follows." + N + "SMITH: “Do you expect to win?”" + N + "LOPEZ: “Yes, we will win.”",
     "“Yes", "LOPEZ", "transcript"),
    # vox pops: a paragraph that is only a name introduces the quote after it
    ("We asked voters what they think." + N + "Ana Ruiz, 24, Phoenix" + N + "“I am voting for the first time.”"
     + N + "“My parents never could.”", "“I am", "Ana Ruiz", "name_line"),
    ("Ana Ruiz, 24, Phoenix" + N + "“I am voting for the first time.”" + N + "“My parents never could.”",
     "“My", "Ana Ruiz", "continuation"),
    # the reporting verbs of the world's press, and a role between a modifier and a name
    ("Ex-France defender Mikael Silvestre hailed the academy: “It is outstanding.”", "“It", "Mikael Silvestre",
     "colon_intro"),
    ("“The dams will be built by the authority,” Pedro Castillo specified.", "“The", "Pedro Castillo",
     "trailing_cue"),
    ("“It is a scheme for everyone,” commented former Portugal striker Nuno Gomes.", "“It", "Nuno Gomes",
     "trailing_cue"),
    ("Voters want solutions. University don Herman Manyora thinks the majority would not. “The undecided "
     "can decide after a debate.”", "“The undecided", "Herman Manyora", "previous_subject"),
    ("“He was the rock of the family,” his son named Keith explained.", "“He", "Keith", "trailing_cue"),
    # a determiner phrase behind the quote, with a verb outside the cue list
    ("“We will win,” Maria Lopez said." + N + "“Next question,” the vice-presidential nominee riffed on the "
     "answer, drawing laughs.", "“Next", "vice-presidential nominee", "trailing_cue"),
    ("“Who will pay for it?” Maria Lopez asked." + N + "“Lindmark!” the audience screamed back.", "“Lindmark",
     "audience", "trailing_cue"),
    # "as X put it"
    ("Few senators would meet him. As Tomas Vrell, the No. 2 in the party, put it: “We will not move.”", "“We",
     "Tomas Vrell", "colon_intro"),
    ("But at the time, as prosecutor Agnes Pellow put it, “We could not hold him.”", "“We", "Agnes Pellow",
     "leading_cue"),
    # a speaker who spoke, then a quote-only paragraph
    ("The plan is vague, since Maria Lopez spoke only in generalities during the interview." + N
     + "“We have to do something.”", "“We", "Maria Lopez", "nearest_event"),
    ("Agnes Pellow argued for the plan, to which Tomas Vrell interjected: “It will never pass.”", "“It",
     "Tomas Vrell", "colon_intro"),
    # "issued a statement saying": the phrase is the verb's object, the speaker its subject
    ("Earlier, the Harbour Ministry issued a statement saying the port was “open for business” again.",
     "“open", "Harbour Ministry", "leading_cue"),
    ("Maria Lopez started the debate saying the plan was “a betrayal of the voters” and sat down.", "“a betrayal",
     "Maria Lopez", "leading_cue"),
    # sentence openers that are not the subject
    ("Shortly after the vote ended, Maria Lopez sent out a release saying the plan was “a betrayal of the "
     "voters”.", "“a betrayal", "Maria Lopez", "leading_cue"),
    ("Carly Vrell backed the plan on Wednesday, saying it was time for “a consistent conservative” in office.",
     "“a consistent", "Carly Vrell", "leading_cue"),
    # a newly named person between two quotes: the second does not continue the first
    ("“We will win,” Tomas Vrell said." + N + "Agnes Pellow, 45, a teacher from Brenford, is voting for him. "
     "“He listens to us.”", "“He", "Agnes Pellow", "previous_subject"),
    ("“We will win,” Tomas Vrell said." + N + "The crowd cheered. “We will govern, too.”", "“We will govern",
     "Tomas Vrell", "continuation"),
    # datelines and openers are not subjects
    ("BRENFORD, July 25 (UPI) — The Harbour Ministry released a statement on Monday, offering “full and lasting support” "
     "to the strikers.", "“full", "Harbour Ministry", "sentence_subject"),
    ("Thirteen years earlier, Maria Lopez had voted for the plan from “a sense of duty” alone.", "“a sense",
     "Maria Lopez", "sentence_subject"),
    # a common-noun subject: documents and groups speak too
    ("The lawsuit contends that the ministry was “grossly negligent in its duty of care” in the matter.", "“grossly",
     "lawsuit", "leading_cue"),
    ("The billionaire businessman began by talking about the port, saying the harbour is now “a disgrace”.",
     "“a disgrace", "billionaire businessman", "leading_cue"),
    # a modal cue is hypothetical speech: the reporting verb before it speaks
    ("Maria Lopez said she expected that voters will say “no, not this time” to the plan.", "“no",
     "Maria Lopez", "leading_cue"),
    # a weekday or a modal is never part of the speaker's name
    ("“We are ready,” said Maria Okafor on Monday.", "“We", "Maria Okafor", "trailing_cue"),
    ("“We are ready,” the two-term president will say, according to excerpts.", "“We", "two-term president",
     "trailing_cue"),
    ("BRENFORD — Gov. Maria Lopez on Thursday blamed the press for making “a circus of a simple vote” again.",
     "“a circus", "Maria Lopez", "sentence_subject"),
    # formerly known defects
    pytest.param("The Harbour Ministry issued a statement on Monday. “The port will stay open,” the statement "
                 "said.", "“The", "Harbour Ministry", "trailing_cue"),
    pytest.param("Dmitri Osterholm, who replaced Marisol Quenby as chairman, spoke first. “This is a lot of "
                 "money,” he said.", "“This", "Dmitri Osterholm", "trailing_cue"),
    pytest.param("Agnes Pellow won the vote. Her rival, Tomas Vrell, conceded. “I told her so,” Vrell said."
                 + N + "Pellow, 44, will lead the party. “It's the members' party, not mine,” she said.",
                 "“It's", "Agnes Pellow", "trailing_cue"),
]


@pytest.mark.parametrize("text,needle,speaker,sieve", CASES)
def test_speaker_and_sieve(text, needle, speaker, sieve):
    q = quote_at(text, needle)
    assert (q.speaker.name if q.speaker else None, q.sieve) == (speaker, sieve)
    m = q.speaker.mention
    assert m is not None and text[m.start:m.end] == m.text


@pytest.mark.parametrize("text,needle", [
    ("The storm cleared on Monday. The film speaks volumes." + N + "“Nobody goes hungry in this town.”", "“Nobody"),
    ("The storm cleared on Monday." + N + "“Nobody goes hungry in this town.”", "“Nobody"),
    ("“Bread is the easy part; keeping the lights on was the hard part.”", "“Bread"),
    ("The storm cleared on the fourth day, and the first lorries reached Tarnby that afternoon." + N
     + "“Bread is the easy part.”", "“Bread"),
])
def test_no_speaker(text, needle):
    q = quote_at(text, needle)
    assert q.speaker is None and q.sieve is None and q.cue is None


def test_nested_quote_speaks_with_outer_voice():
    text = "“I told her, ‘You won this fair and square,’ and I meant it,” Tomas Vrell said."
    q = quote_at(text, "‘You")
    assert q.sieve == "nested" and q.speaker.name == "Tomas Vrell"


def test_cue_span_reads_back():
    text = "“We will win this election,” Maria Lopez said."
    q = quote_at(text, "“We")
    assert q.cue is not None and q.cue.text == "said" and text[q.cue.start:q.cue.end] == "said"


@pytest.mark.parametrize("text,needle,outlet", [
    ("“We are ready,” Maria Lopez told Reuters.", "“We", "Reuters"),
    ("“We are ready,” Lopez wrote on Twitter.", "“We", "Twitter"),
    ("“We are ready,” Lopez said in a statement carried by the Korean Central News Agency (KCNA).", "“We",
     "Korean Central News Agency"),
    ("Maria Lopez said in a public statement on Twitter that the two had agreed to “strengthen relations.”",
     "“strengthen", "Twitter"),
    ("“We are ready,” Maria Lopez told delegates.", "“We", None),
    # "according to" after the speaker's own cue: the channel, when it reads as one
    ("“We are ready,” Lopez said, according to CNN.", "“We", "CNN"),
    ("“We are ready,” Lopez said, according to the Brenford Herald.", "“We", "Brenford Herald"),
    ("“We are ready,” Lopez said, according to Vrell.", "“We", None),
    ("“We are ready,” according to the Brenford Herald.", "“We", "Brenford Herald"),  # a paper speaks for itself
    ("“We are ready,” according to Maria Lopez.", "“We", None),
    pytest.param("“We are ready,” the ministry said in a statement carried by the state news agency KNA.", "“We",
                 "KNA"),
])
def test_outlet(text, needle, outlet):
    q = quote_at(text, needle)
    assert (q.outlet.name if q.outlet else None) == outlet
    if q.outlet and q.outlet.mention:
        m = q.outlet.mention
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text,needle", [
    # a later clause is a credit only when it is the sentence's one reporting clause
    ("The rally ended." + N + "“A new dawn” was the slogan, and the crowd said it loudly.", "“A new"),
    ("The rally ended." + N + "“A new dawn” was the slogan, Ana Ruiz said, and Tom Hardy agreed, he wrote.",
     "“A new"),
    ("The rally ended. Ana Ruiz spoke of “a new dawn” for the city, said Tom Hardy.", "“a new"),
])
def test_sentence_end_cue_declines(text, needle):
    start = text.index(needle)
    q = [q for q in Extractor(engine="rules", sieves="sentence_end_cue").extract(text) if q.start == start][0]
    assert q.sieve is None and q.speaker is None
