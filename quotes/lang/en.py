"""English language data: plain constants, no code.

Everything here is data the rules read; keep it sorted and commented so a
reviewer can extend it without touching the sieves.
"""
from __future__ import annotations

# Reporting verbs by lemma, with the inflected forms the rules match. A cue is
# any of these forms (case-insensitive).
_CUE_LEMMAS = {
    "accuse": "accuse accuses accused accusing",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "add": "add adds added adding",
    "admit": "admit admits admitted admitting",
    "allege": "allege alleges alleged alleging",
    "advise": "advise advises advised advising",
    "agree": "agree agrees agreed agreeing",
    "disagree": "disagree disagrees disagreed disagreeing",
    "announce": "announce announces announced announcing",
    "argue": "argue argues argued arguing",
    "ask": "ask asks asked asking",
    "assert": "assert asserts asserted asserting",
    "boast": "boast boasts boasted boasting",
    "call": "call calls called calling",
    "charge": "charge charges charged charging",
    "chant": "chant chants chanted chanting",
    "claim": "claim claims claimed claiming",
    "comment": "comment comments commented commenting",
    "complain": "complain complains complained complaining",
    "concede": "concede concedes conceded conceding",
    "conclude": "conclude concludes concluded concluding",
    "condemn": "condemn condemns condemned condemning",
    "confirm": "confirm confirms confirmed confirming",
    "contend": "contend contends contended contending",
    "continue": "continue continues continued continuing",
    "counter": "counter counters countered countering",
    "cry": "cry cries cried crying",
    "declare": "declare declares declared declaring",
    "demand": "demand demands demanded demanding",
    "deny": "deny denies denied denying",
    "describe": "describe describes described describing",
    "dub": "dub dubs dubbed dubbing",
    "emphasize": "emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised",
    "explain": "explain explains explained explaining",
    "express": "express expresses expressed expressing",
    "insist": "insist insists insisted insisting",
    "joke": "joke jokes joked joking",
    "label": "label labels labeled labelled labeling",
    "laugh": "laugh laughs laughed laughing",
    "lament": "lament laments lamented lamenting",
    "maintain": "maintain maintains maintained maintaining",
    "mention": "mention mentions mentioned mentioning",
    "note": "note notes noted noting",
    "observe": "observe observes observed observing",
    "pledge": "pledge pledges pledged pledging",
    "point": "point points pointed pointing",
    "post": "post posts posted posting",
    "predict": "predict predicts predicted predicting",
    "proclaim": "proclaim proclaims proclaimed proclaiming",
    "promise": "promise promises promised promising",
    "quip": "quip quips quipped quipping",
    "recall": "recall recalls recalled recalling",
    "reply": "reply replies replied replying",
    "report": "report reports reported reporting",
    "respond": "respond responds responded responding",
    "retort": "retort retorts retorted retorting",
    "reveal": "reveal reveals revealed revealing",
    "say": "say says said saying",
    "shout": "shout shouts shouted shouting",
    "sigh": "sigh sighs sighed sighing",
    "state": "state states stated stating",
    "stress": "stress stresses stressed stressing",
    "suggest": "suggest suggests suggested suggesting",
    "tell": "tell tells told telling",
    "testify": "testify testifies testified testifying",
    "thunder": "thunder thunders thundered thundering",
    "tout": "tout touts touted touting",
    "tweet": "tweet tweets tweeted tweeting",
    "urge": "urge urges urged urging",
    "vow": "vow vows vowed vowing",
    "warn": "warn warns warned warning",
    "write": "write writes wrote written writing",
    "yell": "yell yells yelled yelling",
    "elaborate": "elaborate elaborates elaborated elaborating",
    "exclaim": "exclaim exclaims exclaimed exclaiming",
    "exhort": "exhort exhorts exhorted exhorting",
    "react": "react reacts reacted reacting",
    "reiterate": "reiterate reiterates reiterated reiterating",
    "remark": "remark remarks remarked remarking",
    "retaliate": "retaliate retaliates retaliated",
    "bark": "bark barks barked",
    "snap": "snap snaps snapped",
    "muse": "muse muses mused",
    "echo": "echo echoes echoed echoing",
    "sing": "sing sings sang singing",
    "wonder": "wonder wonders wondered wondering",
    "grumble": "grumble grumbles grumbled grumbling",
    "scoff": "scoff scoffs scoffed",
    "recount": "recount recounts recounted recounting",
    "interject": "interject interjects interjected interjecting",
    # the reporting verbs of the world's English press ("hailed", "underlined", "specified")
    "hail": "hail hails hailed hailing",
    "praise": "praises praised praising",
    "commend": "commend commends commended commending",
    "slam": "slam slams slammed slamming",
    "blast": "blasts blasted blasting",
    "criticize": "criticize criticizes criticized criticizing criticise criticises criticised criticising",
    "underline": "underline underlines underlined underlining",
    "underscore": "underscore underscores underscored underscoring",
    "highlight": "highlights highlighted highlighting",
    "indicate": "indicate indicates indicated indicating",
    "specify": "specify specifies specified specifying",
    "assure": "assure assures assured assuring",
    "implore": "implore implores implored imploring",
    "affirm": "affirm affirms affirmed affirming",
    "caution": "cautions cautioned cautioning",
    "remind": "remind reminds reminded reminding",
    "clarify": "clarify clarifies clarified clarifying",
    "disclose": "disclose discloses disclosed disclosing",
    "narrate": "narrate narrates narrated narrating",
    "plead": "plead pleads pleaded pleading pled",
    "apologize": "apologize apologizes apologized apologizing apologise apologises apologised apologising",
    "opine": "opine opines opined opining",
    "aver": "aver avers averred averring",
    "lambast": "lambast lambasts lambasted lambasting lambaste lambastes",
    "decry": "decry decries decried decrying",
    "speak": "spoke",  # "speaks volumes", "speaking gigs" are no cues
    "offer": "offered",
    "read": "reads read",
}
CUE_VERBS: frozenset[str] = frozenset(w for forms in _CUE_LEMMAS.values() for w in forms.split())

# Cues that, placed right after a quote, almost always introduce its speaker
# ("…," said X / "…," X added). Subset used with higher confidence.
STRONG_CUES: frozenset[str] = frozenset(
    "said says say added adds told tells wrote writes asked asks continued continues "
    "explained explains noted notes insisted insists warned warns tweeted tweets "
    "replied replies responded responds declared declares stated states argued "
    "argues recalled recalls concluded concludes laughed joked quipped sighed "
    "shouted yelled cried added countered conceded acknowledged admitted "
    "posted claimed claims announced announces".split()
)

# Nouns that stand for an utterance: "the statement continued" speaks for
# whoever issued the statement.
UTTERANCE_NOUNS: frozenset[str] = frozenset(
    "statement statements release letter message report memo tweet post note "
    "communique communiqué email e-mail editorial filing complaint lawsuit "
    "commentary article ad advertisement video document text circular notice".split()
)

# Month names: a capitalised month is a date, never a speaker ("July 25 (UPI) — …").
MONTHS: frozenset[str] = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

# Weekdays: never part of a name ("said Maria Okafor on Monday").
WEEKDAYS: frozenset[str] = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# Words that may open the "according to" style outlet/speaker phrase.
ACCORDING = ("according to",)

# Personal pronouns that can be a speaker mention, with the kind of antecedent.
PRONOUNS: dict[str, str] = {
    "he": "person", "she": "person", "i": "person", "we": "group", "they": "group",
    "it": "organization",
}

# Titles and honorifics: stripped from canonical names, kept as roles.
TITLES: frozenset[str] = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. "
    "sen sen. sens sens. senator senators rep rep. reps reps. representative gov gov. govs govs. governor president "
    "vice-president vp pres. gen gen. general col col. lt lt. capt capt. cmdr "
    "adm adm. sgt sgt. secretary minister chairman chairwoman chair speaker "
    "leader mayor judge justice attorney ambassador pope king queen prince "
    "princess sheikh ayatollah dictator premier chancellor commissioner "
    "spokesman spokeswoman spokesperson director chief ceo founder candidate "
    "nominee former late then-candidate first lady".split()
)

# Lower-case words allowed inside a speaker noun phrase ("the North Korean
# foreign ministry", "a White House spokesman").
NP_INNER_WORDS: frozenset[str] = frozenset(
    "foreign affairs interior defense defence justice state federal national "
    "general chief senior top former official officials spokesman spokeswoman "
    "spokesperson spokespeople ministry minister ministers department government "
    "administration agency agencies party campaign committee council office "
    "press secretary secretaries aide aides adviser advisers advisor advisors "
    "team staff source sources regime embassy military army police "
    "state-run state-owned news service services network organization group "
    "union board court commission authority authorities leader leaders "
    "leadership people nominee candidate presidential vice-presidential "
    "republican democratic democrat running mate manager chairman chairwoman "
    "director analyst analysts expert experts economist economists "
    "strategist strategists pollster lawmaker lawmakers senator senators "
    "governor governors mayor representatives officer officers member members "
    "group spokesmen white house of the for and at on u.s. us "
    "communist socialist conservative liberal opposition prime deputy "
    "assistant associate executive research think tank statement statements "
    "report study poll survey release letter message newspaper website "
    "attorney lawyer lawyers prosecutor prosecutors judge worker workers "
    "voter voters supporter supporters critic critics activist activists "
    "protester protesters resident residents witness witnesses friend family "
    "relative relatives father mother son daughter wife husband brother sister".split()
)

# Head nouns that make a phrase an organization rather than a person.
ORG_HEADS: frozenset[str] = frozenset(
    "ministry department government administration agency party campaign "
    "committee council office regime embassy military army police network "
    "organization organisation group union board court commission authority "
    "authorities news service times post journal press association institute "
    "foundation university company corporation corp inc bank fund center centre "
    "house senate congress parliament assembly team staff statement "
    "federation league coalition alliance movement republic kingdom community communities "
    "holdings ltd limited plc llc airlines airways industries enterprises technologies pharmaceuticals "
    "insurance telecom telecoms petroleum railways railway brands".split()
)

# Countries and country-like names (typed "country").
COUNTRIES: frozenset[str] = frozenset(
    "afghanistan albania algeria argentina armenia australia austria belarus "
    "belgium bolivia brazil britain bulgaria canada chile china colombia cuba "
    "denmark ecuador egypt england ethiopia europe finland france germany greece "
    "hungary india indonesia iran iraq ireland israel italy japan jordan kenya "
    "korea kuwait lebanon libya mexico morocco netherlands nicaragua nigeria "
    "norway pakistan palestine peru philippines poland portugal qatar romania "
    "russia scotland serbia somalia spain sudan sweden switzerland syria taiwan "
    "turkey ukraine venezuela vietnam yemen zimbabwe".split()
) | frozenset({
    "north korea", "south korea", "saudi arabia", "united states", "united kingdom",
    "the united states", "u.s.", "the u.s.", "us", "uk", "u.k.", "the uk",
    "united arab emirates", "new zealand", "south africa", "the west", "washington",
    "moscow", "beijing", "tehran", "pyongyang", "caracas", "havana", "kremlin",
    "the kremlin",
})

# Channels and publishers: a quote said "on Twitter" or "told Reuters" came out
# through them. Keys are folded names, values the canonical outlet name.
OUTLET_NAMES: dict[str, str] = {
    "twitter": "Twitter", "x": "X", "facebook": "Facebook", "instagram": "Instagram",
    "youtube": "YouTube", "tiktok": "TikTok", "truth social": "Truth Social",
    "reuters": "Reuters", "the associated press": "Associated Press",
    "associated press": "Associated Press", "ap": "Associated Press",
    "afp": "AFP", "agence france-presse": "AFP", "bloomberg": "Bloomberg",
    "cnn": "CNN", "fox news": "Fox News", "fox": "Fox News", "msnbc": "MSNBC",
    "nbc": "NBC", "nbc news": "NBC News", "abc": "ABC", "abc news": "ABC News",
    "cbs": "CBS", "cbs news": "CBS News", "npr": "NPR", "pbs": "PBS", "bbc": "BBC",
    "the new york times": "The New York Times", "new york times": "The New York Times",
    "the washington post": "The Washington Post", "washington post": "The Washington Post",
    "the wall street journal": "The Wall Street Journal", "politico": "Politico",
    "breitbart": "Breitbart", "breitbart news": "Breitbart News", "the hill": "The Hill",
    "kcna": "Korean Central News Agency", "korean central news agency": "Korean Central News Agency",
    "xinhua": "Xinhua", "tass": "TASS", "ria novosti": "RIA Novosti", "irna": "IRNA",
    "al jazeera": "Al Jazeera", "usa today": "USA Today", "the guardian": "The Guardian",
    # national news agencies of the world press, as their copy names them
    "bernama": "Bernama", "yonhap": "Yonhap", "kyodo": "Kyodo", "kyodo news": "Kyodo News", "jiji": "Jiji Press",
    "jiji press": "Jiji Press", "anadolu": "Anadolu Agency", "anadolu agency": "Anadolu Agency",
    "tasnim": "Tasnim", "fars news agency": "Fars", "mehr news agency": "Mehr", "isna": "ISNA", "interfax": "Interfax",
    "sputnik": "Sputnik",  # (not "Petra", "Sana", "Fars": names of people and places too)
    "wam": "WAM", "qna": "QNA", "kuna": "KUNA", "bss": "BSS", "pti": "Press Trust of India",
    "press trust of india": "Press Trust of India", "ians": "IANS",
    "kenya news agency": "Kenya News Agency", "ghana news agency": "Ghana News Agency",
    "news agency of nigeria": "News Agency of Nigeria", "antara": "Antara", "vna": "VNA", "lusa": "Lusa",
    "efe": "EFE", "ansa": "ANSA", "dpa": "dpa", "ukrinform": "Ukrinform", "prensa latina": "Prensa Latina",
    "notimex": "Notimex", "agencia brasil": "Agência Brasil", "agência brasil": "Agência Brasil",
    "telam": "Télam", "télam": "Télam", "xinhua news agency": "Xinhua", "yonhap news agency": "Yonhap",
}

# Dashes that credit a quote to the name after them ("“…” ― Ana Ruiz", "- Bernie Sanders."):
# a hyphen, a double hyphen, figure, en and em dashes, the horizontal bar and a tilde. A regex
# alternation, for patterns to embed.
CREDIT_DASH = r"(?:--|[-‒–—―~])"

# Words after which a capitalised quoted phrase is a title, not speech
# ("the film “…”", "on “Fox News Sunday”").
TITLE_CUES: frozenset[str] = frozenset(
    "film movie book novel song album show series program programme episode "
    "broadcast article column essay op-ed editorial headline titled entitled "
    "called dubbed named magazine newspaper play poem documentary podcast "
    "hashtag slogan tagline".split()
)

# Small words that may stay lower-case in a title ("Of Mice and Men").
TITLE_SMALL_WORDS: frozenset[str] = frozenset(
    "a an and as at but by for from in into of on or the to with vs. vs".split()
)

# Quote mark pairs: opening mark -> the closing marks that may end it.
QUOTE_PAIRS: dict[str, str] = {
    "“": "”\"",
    "”": "”",      # Swedish/Finnish style ”…”
    "„": "“”\"",
    "\"": "\"”“",
    "‘": "’'",
    "‚": "‘’",
    "'": "'’",
    "«": "»",
    "»": "«",      # Danish style »…«
    "‹": "›",
    "›": "‹",
    "「": "」",
    "『": "』",
}
OPENING_MARKS = "“„‘‚«‹「『"
CLOSING_MARKS = "”’»›」』"
AMBIGUOUS_MARKS = "\"'"
DOUBLE_MARKS = "“”„\"«»「」『』"
ALL_MARKS = "“”‘’\"'«»„‚‹›「」『』"


# ----------------------------------------------------------------------------------------
# Words the attribution sieves read (quotes/extract/sieves). Word lists live here; a single
# word that spells a construction ("according to", "as X put it", "said that") stays in the
# rule that reads it.

# Cues that do not introduce the quote after them as speech ("called it “…”", "described as “…”").
WEAK_LEADING_CUES: frozenset[str] = frozenset(
    "called calls calling describe described describes dubbed labeled labelled".split())

# Reporting verbs whose object is the one spoken to, never the speaker ("told her supporters").
OBJECT_CUES: frozenset[str] = frozenset("told tells tell asked asks ask warned warns urged urges".split())

# Cues after which a plain object may follow without opening a clause of its own
# ("told reporters.", "wrote Smith").
CUES_TAKING_OBJECT: frozenset[str] = frozenset("told tells asked asks wrote writes".split())

# Past-tense forms read as a possible cue behind a quote, besides CUE_VERBS and words in -ed
# ("“…!” Trump shot back").
IRREGULAR_PAST: frozenset[str] = frozenset("went shot cut spoke broke chimed began put fired wrote told said".split())

# Words in -s that are no verb of speech behind a quote ("“…” this", "“…” goes").
NOT_GENERIC_CUES: frozenset[str] = frozenset("was has is as this its his does goes gets".split())

PREPOSITIONS: frozenset[str] = frozenset("to for with from by at on of in into about against toward towards".split())
MODALS: frozenset[str] = frozenset("will would should could might may can must shall".split())
ARTICLES: frozenset[str] = frozenset("a an the".split())

# Words that link one clause to another ("… and", "… who", "… because").
CLAUSE_LINKS: frozenset[str] = frozenset("and or but who which that while as when because since if than".split())

# Words before a reporting verb that make it continue the clause's subject ("and warned", "then said").
SUBJECT_CONTINUERS: frozenset[str] = frozenset("and but then to".split())

# Words after a cue that open a clause of its own ("said that …", "said he …").
CLAUSE_AFTER_CUE: frozenset[str] = frozenset("that he she they it i we".split())

# Words right after a cue that begin its object or clause, never an inverted speaker ("said that", "said it").
NOT_SPEAKER_AFTER_CUE: frozenset[str] = frozenset("that this these those it he she they we i you".split())

# Words that open an adjunct after a cue, not a clause ("said in an interview", "said Monday").
ADJUNCT_OPENERS: frozenset[str] = frozenset(
    "in on at during to of after before with from about as when while last this earlier later recently "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight then again also "
    "simply flatly bluntly".split())

# Words before a weekday in a time adjunct ("Gov. Mike Pence on Thursday blamed", "last Monday").
WEEKDAY_PREPOSITIONS: frozenset[str] = frozenset("on last this".split())

# Prepositions of a place or source after a determiner phrase ("a narrator in the Clinton ad asks").
PLACE_PREPOSITIONS: frozenset[str] = frozenset("in at from on".split())

# Words that open a description of someone not named ("the former chairman", "one voter").
DESCRIPTION_OPENERS: frozenset[str] = frozenset("the a an one another".split())

# Abbreviated titles and suffixes whose full stop ends no sentence ("Sen.", "Gov.", "Jr.").
NAME_ABBREVIATIONS: frozenset[str] = frozenset(
    "mr mrs ms dr sen rep gov gen rev lt col sgt capt prof st jr sr".split())

# Particles after a verb ("screamed back", "shot out").
VERB_PARTICLES: frozenset[str] = frozenset("back out in up on again".split())

# Words that open a new clause or phrase after a quote: what follows them does not credit it.
NOT_AFTER_QUOTE: frozenset[str] = frozenset("and but while or nor of at to which who whom whose".split())

# Negations (apostrophes straight): a would-be speaker phrase holding one is a clause.
NEGATIONS: frozenset[str] = frozenset("can't won't don't doesn't didn't isn't wasn't not".split())

NUMBER_WORDS: frozenset[str] = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million several many few".split())

# Words that are no verb after a would-be subject.
NOT_VERBS: frozenset[str] = frozenset(
    "of and or but to in on at for with from by as than who which that whose "
    "de del van von al bin before after during since until while when where whether if "
    "because though although".split())

# Words that open a sentence without being its subject.
SENTENCE_OPENERS: frozenset[str] = frozenset(
    "given even soon later earlier before after when while although though because since "
    "if as once until despite also still meanwhile however yet instead moreover".split())

# Determiners of a subject phrase of common nouns ("The lawsuit contends", "Her economic plan").
SUBJECT_DETERMINERS: frozenset[str] = frozenset("the a an his her its their our this".split())

# Finite verbs (besides the cues) that follow a subject.
FINITE_VERBS: frozenset[str] = frozenset(
    "is was are were has had have will would can could may might must should does did "
    "says said began made took gave came got saw knew thought found kept left held brought "
    "felt sent ran won lost met paid went wrote told spoke".split())

# Lower-case particles inside a name on a line of its own ("Ana de la Cruz, 24, Phoenix").
NAME_LINE_PARTICLES: tuple[str, ...] = ("de", "la", "del", "van", "von", "bin", "al")

# ---- Speaker identity across documents (quotes/store/identity.py, issue 18): which words of a
# speaker's name say who it is. Folded (lower case, no accents, no full stops).

# Titles, honorifics and roles: a name made of these alone names a role, not a holder ("the
# Prime Minister", "Head of State", "FRMF president"); before a name they are not part of it.
ROLE_WORDS: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister brother "
    "president presidents vice vice-president deputy prime minister ministers premier chancellor "
    "secretary secretary-general general gen sen senator senators rep representative congressman "
    "congresswoman gov governor mayor judge justice king queen prince princess pope sheikh ayatollah "
    "emir sultan col colonel lt lieutenant capt captain sgt sergeant adm admiral cmdr commander maj "
    "major constable inspector superintendent commissioner detective officer officers official officials "
    "spokesman spokeswoman spokesperson spokespeople spokesmen director directors chief head heads "
    "chairman chairwoman chairperson chair ceo cfo coo founder co-founder president-elect leader "
    "leaders lawmaker lawmakers legislator mp mps mla mlas mep councillor councilor alderman envoy "
    "ambassador consul adviser advisor advisers advisors aide aides attorney prosecutor lawyer "
    "elder elders principal headmaster dean rector provost chancellor coach manager executive "
    "candidate nominee incumbent speaker former late acting interim assistant associate senior "
    "junior member members datuk dato seri sri tun haji hon honourable honorable excellency "
    "presidente ministro ministra senador senadora diputado diputada alcalde gobernador jefe "
    "señor senor senora señora don dona doña monsieur madame herr frau".split())

# Words that are no one's name: institutions, groups and common nouns as they head or fill a
# generic name ("police", "Foreign Ministry", "Judicial Service Commission", "His family"),
# time words, and the modifiers every country's institutions share.
GENERIC_NAME_WORDS: frozenset[str] = frozenset(
    "police government govt ministry ministries department departments office offices agency "
    "agencies authority authorities administration cabinet council committee commission "
    "commissions court courts tribunal board bureau service services force forces army navy "
    "military party parties union unions association federation league coalition alliance "
    "movement group groups team staff family families company firm corporation organisation "
    "organization institute institution university school hospital bank fund foundation "
    "parliament congress senate assembly house chamber legislature republic kingdom state states "
    "nation nations people public community city county province region district municipality "
    "embassy consulate mission delegation secretariat presidency palace constitution "
    "foreign affairs home interior defence defense finance treasury health education justice "
    "security trade industry labour labor agriculture environment energy transport tourism "
    "culture information communications youth sports women social welfare immigration customs "
    "revenue tax national federal central supreme high general public civil judicial electoral "
    "legislative executive joint special first new local provincial regional municipal "
    "international world global media news press statement report letter source sources "
    "residents witnesses officials experts analysts critics activists protesters supporters "
    "voters workers students teachers doctors nurses parents relatives friends neighbours "
    "neighbors insiders observers "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "january february march april may june july august september october november december".split())

# Words that begin a description of someone unnamed, never a name ("same official", "his
# family", "one party leader", "two officials").
DESCRIPTION_WORDS: frozenset[str] = frozenset(
    "a an this that these those his her its their our my your one some same another other "
    "several many few two three four five both each every any such".split())

# Small words inside a name that are no name of their own ("Workers' Party of Korea",
# "Ana de la Cruz", "Al Hashemi").
NAME_PARTICLES: frozenset[str] = frozenset(
    "of the and for on to in at & de del la le las los da das do dos di du van von der den ter "
    "al el bin ibn binti bint y e".split())

# ---- Transcripts (quotes/extract/transcript.py): "SPEAKER: words" lines with no quote marks.

# Labels of a reporter's question and of the answer in an interview or briefing ("Q:", "A:").
QUESTION_LABELS: frozenset[str] = frozenset("q question questions reporter journalist audience".split())
ANSWER_LABELS: frozenset[str] = frozenset("a answer".split())

# First words of a "Label: text" line that is no one speaking ("Note:", "Photo:", "Read more:").
NOT_SPEAKER_LABELS: frozenset[str] = frozenset(
    "note notes nb editor editors editor's photo photos picture pictures image images video videos audio "
    "graphic graphics chart map caption credit credits source sources update updated updates correction "
    "clarification warning disclaimer related read see also more watch listen live breaking exclusive "
    "analysis opinion comment comments summary background context key highlights tags tag topics topic "
    "category categories posted published date dated time location venue where when what why how who "
    "subject re from to cc bcc by contact email e-mail tel phone fax web website twitter facebook instagram "
    "tiktok youtube telegram whatsapp follow share file files attachment attachments reporting writing "
    "editing translation translated advertisement sponsored sponsor part chapter section step day week "
    "round game match score result results final total price cost address population area status "
    "headline title abstract keywords disclosure transcript agenda interview interviews q&a".split()
) - QUESTION_LABELS - ANSWER_LABELS

# Head words of the organisation a briefing's heading names ("Foreign Ministry Spokesperson ...'s
# Regular Press Conference", "U.S. Department of State", "The White House").
BRIEFING_ORG_HEADS: frozenset[str] = frozenset(
    "ministry department office house agency council commission government embassy consulate "
    "mission secretariat presidency cabinet administration bureau authority court parliament "
    "assembly senate congress party army police federation union committee institute university "
    "company corporation bank fund league alliance coalition nations organization organisation".split())
# Closed-class words (pronouns, determiners, prepositions, conjunctions, auxiliaries, common
# adverbs and quantifiers): a would-be name made only of these names nobody ("It", "That",
# "Within", "More", "Though the").
FUNCTION_WORDS: frozenset[str] = frozenset(
    "a an the this that these those his her hers its their theirs our ours my mine your yours "
    "i me he him she it we us they them you who whom what which whose where when why how "
    "in on at by for from with without within of to into onto over under about above below across "
    "after before since until till during through throughout between among amid around against toward "
    "towards upon via per despite beside besides beyond near inside outside along behind "
    "and or but nor so yet if though although because unless whether while whilst as than then once "
    "is am are was were be been being has have had do does did will would shall should can could may "
    "might must not no yes more most less least much many some any all both each every either neither "
    "other another such own same few several also still just only even ever never always often again "
    "already soon now here there today tonight yesterday tomorrow however meanwhile moreover furthermore "
    "therefore thus hence instead otherwise indeed perhaps well very too quite rather almost nearly "
    "further later earlier first last next concerning regarding following including according excluding "
    "considering pending barring notwithstanding".split())

# Words of a clause, not of a name: a would-be speaker phrase holding one in lower case is a
# clause fragment ("Constitution does not", "letter further").
CLAUSE_WORDS: frozenset[str] = frozenset(
    "is was are were be been has have had do does did will would shall should can could may might "
    "must not further also then still again already just".split())

# Words that make a person female or male when they stand in apposition or before the name
# ("A Walvis Bay widow, Carol-Ann Möller"); pronouns agree with them.
FEMALE_WORDS: frozenset[str] = frozenset(
    "mrs mrs. ms ms. miss madam madame dame lady queen princess woman women widow mother wife daughter "
    "sister aunt niece grandmother girl businesswoman chairwoman spokeswoman congresswoman actress "
    "sportswoman councilwoman policewoman".split())
MALE_WORDS: frozenset[str] = frozenset(
    "mr mr. sir lord king prince man men widower father husband son brother uncle nephew grandfather "
    "boy businessman spokesman congressman actor sportsman councilman policeman".split())

# Nouns for a person's role or description: "the official added", "the widow says", "the
# 45-year-old told police". A definite one stands for the person the article named for it.
PERSON_NOUNS: frozenset[str] = TITLES | FEMALE_WORDS | MALE_WORDS | frozenset(
    "official lawmaker legislator diplomat envoy commander officer executive head chairperson "
    "coordinator manager owner activist lawyer attorney prosecutor scientist researcher professor "
    "teacher doctor nurse farmer driver resident victim suspect survivor witness veteran player "
    "coach striker defender athlete captain star singer artist author writer economist analyst "
    "expert politician candidate councillor councilor inspector superintendent brigadier colonel "
    "magistrate principal pastor priest imam bishop elder student worker founder co-founder "
    "entrepreneur vp deputy premier monarch head-of-state don lecturer academic scholar historian commentator "
    "columnist editor reporter journalist publisher broadcaster presenter host anchor".split())
# Determiners of a description that introduces someone new, never one named before ("one
# insider said", "a resident said").
INDEFINITE_DETERMINERS: frozenset[str] = frozenset("a an one another some two three several".split())
# Descriptions that fit anyone in office: "the official added" is whoever spoke last.
GENERIC_PERSON_NOUNS: frozenset[str] = frozenset("official officer source".split())
# Role phrases that stand for the holder of another title ("the Head of State said" after
# "President Pedro Castillo"): the titles a holder may carry, keyed by the phrase.
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "head of state": ("president", "king", "queen", "emir", "sultan", "monarch"),
    "head of government": ("prime minister", "premier", "chancellor", "president"),
    "vp": ("vice president", "vice-president"),
    "veep": ("vice president", "vice-president"),
    "ex-president": ("former president",),
}
# Words that make a title another office than the bare title (verify, issue 18): a "Deputy
# Prime Minister", a "former president" or a "Vice President" is not "the Prime Minister" or
# "the President" a claim names.
TITLE_QUALIFIERS: frozenset[str] = frozenset(
    "deputy vice vice-president former ex ex-president late shadow assistant associate junior under".split())
# Words a role phrase may hold besides titles and person nouns ("the Head of State").
ROLE_PHRASE_WORDS: frozenset[str] = frozenset(
    "of the state government republic and prime vice foreign finance interior home defence defense justice "
    "health education trade labour labor general attorney deputy senior executive".split())
# Words left out of a name's key ("the Harbour Ministry" and "Harbour Ministry" are one).
DETERMINERS_AND_LINKS: frozenset[str] = frozenset("the a an this that these those his her its their our of and for "
                                                 "state-run".split())
# Nouns of a document or a medium that carries words: "the letter states" (its outlet is the letter).
MEDIA_NOUNS: frozenset[str] = frozenset(
    "statement statements release letter note email e-mail message memo communique communiqué blog post "
    "tweet video op-ed column editorial podcast report".split())
# Words kept with a medium noun in its outlet name ("press release", "media statement").
MEDIA_MODIFIERS: frozenset[str] = frozenset("press media news joint written video social".split())
# Words of a role that speaks for a body ("Foreign Ministry spokesman", "ATM national spokesperson").
SPOKES_WORDS: frozenset[str] = frozenset("spokesman spokeswoman spokesperson spokespeople spokesmen "
                                         "spokeswomen spokespersons mouthpiece".split())
# Cues by which an agency reports its own words ("the APS agency reported").
REPORTING_CUES: frozenset[str] = frozenset("reported reports reporting said says quoted cited added".split())
# Words of a role that qualify it without naming a body ("national spokesperson", "legal spokesman").
ROLE_ADJECTIVES: frozenset[str] = frozenset("national legal chief deputy senior official former acting top press "
                                            "media provincial regional local general executive principal".split())
# "X was quoted by Y as saying": the passive that credits a quote to its subject.
PASSIVE_AUXILIARIES: frozenset[str] = frozenset("was were is are been".split())
QUOTED_CUES: frozenset[str] = frozenset("quoted cited".split())
# Documents a body issues, as a regex alternation: "issued a statement", "sent an email",
# "the letter, signed by …", "in a release".
DOCUMENT_NOUN_PATTERN = (r"statements?|release|letter|message|report|memo|note|communiqu[eé]|e-?mail|document|text|"
                         r"circular|notice|post|video")
# Nouns that describe an organisation: "the company said" is the company the article named.
ORG_DESCRIPTION_NOUNS: frozenset[str] = frozenset(
    "company firm organisation organization agency group body institution association union party "
    "ministry department government court council committee commission board bank airline carrier "
    "retailer operator manufacturer charity university club federation foundation regulator "
    "authority insurer lender producer developer broadcaster network publisher".split())
# Words of a place's name ("Māhia Peninsula", "Walvis Bay"): such a run names no person.
PLACE_WORDS: frozenset[str] = frozenset(
    "peninsula island islands river bay city county province district region valley mountain mountains "
    "lake beach street road avenue square park coast port harbour harbor airport station village town "
    "state states republic kingdom".split())
# Words by which a phrase gives a name: "his son named Keith", "a woman called Maria".
NAMING_WORDS: frozenset[str] = frozenset("named called".split())

# "Xinhua quoted the spokesman as saying": the verbs of an agency carrying someone's words, and
# the reporting verbs after "as" that make the quoted one the speaker.
QUOTED_AS_VERBS: frozenset[str] = frozenset("quoted quotes quoting cited cites citing".split())
QUOTED_AS_CUES: frozenset[str] = frozenset(
    "saying telling stating writing adding describing calling warning insisting noting".split())
