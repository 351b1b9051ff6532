-- quotes schema at revision 0010
-- written by scripts/snapshot_schema.py from the migrations; do not edit
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE documents (
	id INTEGER NOT NULL, 
	path TEXT NOT NULL, 
	url TEXT, 
	external_id TEXT, 
	sha256 VARCHAR(64) NOT NULL, 
	title TEXT, 
	publisher TEXT, 
	date TEXT, 
	text TEXT NOT NULL, 
	engine VARCHAR(32), 
	extracted_at VARCHAR(32), author TEXT, origin VARCHAR(16), source_file TEXT, source_line INTEGER, 
	CONSTRAINT pk_documents PRIMARY KEY (id), 
	CONSTRAINT uq_documents_path_sha256 UNIQUE (path, sha256)
);
CREATE TABLE outlets (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	"key" TEXT NOT NULL, 
	CONSTRAINT pk_outlets PRIMARY KEY (id), 
	CONSTRAINT uq_outlets_key UNIQUE ("key")
);
CREATE TABLE speaker_aliases (
	id INTEGER NOT NULL, 
	speaker_id INTEGER NOT NULL, 
	alias_key TEXT NOT NULL, 
	CONSTRAINT pk_speaker_aliases PRIMARY KEY (id), 
	CONSTRAINT fk_speaker_aliases_speaker_id_speakers FOREIGN KEY(speaker_id) REFERENCES speakers (id) ON DELETE CASCADE, 
	CONSTRAINT uq_speaker_aliases_alias_key UNIQUE (alias_key)
);
CREATE INDEX ix_speaker_aliases_speaker_id ON speaker_aliases (speaker_id);
CREATE TABLE quotes (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	content_start INTEGER NOT NULL, 
	content_end INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	closed BOOLEAN NOT NULL, 
	CONSTRAINT pk_quotes PRIMARY KEY (id), 
	CONSTRAINT fk_quotes_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_quotes_document_id ON quotes (document_id);
CREATE INDEX ix_quotes_kind ON quotes (kind);
CREATE TABLE attributions (
	id INTEGER NOT NULL, 
	quote_id INTEGER NOT NULL, 
	speaker_id INTEGER, 
	mention_id INTEGER, 
	outlet_id INTEGER, 
	outlet_start INTEGER, 
	outlet_end INTEGER, 
	outlet_text TEXT, 
	cue_start INTEGER, 
	cue_end INTEGER, 
	cue_text TEXT, 
	sieve VARCHAR(64), 
	confidence FLOAT DEFAULT '0' NOT NULL, 
	explanation TEXT, 
	CONSTRAINT pk_attributions PRIMARY KEY (id), 
	CONSTRAINT fk_attributions_quote_id_quotes FOREIGN KEY(quote_id) REFERENCES quotes (id) ON DELETE CASCADE, 
	CONSTRAINT fk_attributions_speaker_id_speakers FOREIGN KEY(speaker_id) REFERENCES speakers (id), 
	CONSTRAINT fk_attributions_mention_id_speaker_mentions FOREIGN KEY(mention_id) REFERENCES speaker_mentions (id), 
	CONSTRAINT fk_attributions_outlet_id_outlets FOREIGN KEY(outlet_id) REFERENCES outlets (id), 
	CONSTRAINT uq_attributions_quote_id UNIQUE (quote_id)
);
CREATE INDEX ix_attributions_speaker_id ON attributions (speaker_id);
CREATE INDEX ix_attributions_outlet_id ON attributions (outlet_id);
CREATE VIRTUAL TABLE quote_search USING fts5(text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE quote_search_terms USING fts5vocab(quote_search, 'row');
CREATE TRIGGER quote_search_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quote_search(quote_search, rowid, text) VALUES ('delete', old.id, old.text);
    END;
CREATE TRIGGER quote_search_au AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO quote_search(quote_search, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO quote_search(rowid, text) VALUES (new.id, new.text);
    END;
CREATE TABLE speaker_names (
	id INTEGER NOT NULL, 
	"key" TEXT NOT NULL, 
	name TEXT NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_speaker_names PRIMARY KEY (id), 
	CONSTRAINT uq_speaker_names_key_name_type UNIQUE ("key", name, type)
);
CREATE TABLE quote_names (
	quote_id INTEGER NOT NULL, 
	name_id INTEGER NOT NULL, 
	CONSTRAINT pk_quote_names PRIMARY KEY (quote_id), 
	CONSTRAINT fk_quote_names_quote_id_quotes FOREIGN KEY(quote_id) REFERENCES quotes (id) ON DELETE CASCADE, 
	CONSTRAINT fk_quote_names_name_id_speaker_names FOREIGN KEY(name_id) REFERENCES speaker_names (id)
);
CREATE TABLE speaker_tokens (
	token TEXT NOT NULL, 
	alias_key TEXT NOT NULL, 
	CONSTRAINT pk_speaker_tokens PRIMARY KEY (token, alias_key)
);
CREATE TABLE speaker_mention_keys (
	"key" TEXT NOT NULL, 
	CONSTRAINT pk_speaker_mention_keys PRIMARY KEY ("key")
);
CREATE TABLE speaker_pins (
	"key" TEXT NOT NULL, 
	CONSTRAINT pk_speaker_pins PRIMARY KEY ("key")
);
CREATE TABLE quote_search_deferred (id INTEGER NOT NULL PRIMARY KEY);
CREATE TRIGGER quote_search_ai AFTER INSERT ON quotes
    WHEN NOT EXISTS (SELECT 1 FROM quote_search_deferred) BEGIN
        INSERT INTO quote_search(rowid, text) VALUES (new.id, new.text);
    END;
CREATE TABLE "speaker_mentions" (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	speaker_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	role TEXT, 
	affiliation TEXT, 
	CONSTRAINT pk_speaker_mentions PRIMARY KEY (id), 
	CONSTRAINT fk_speaker_mentions_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_speaker_mentions_document_id ON speaker_mentions (document_id);
CREATE TABLE "speakers" (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	"key" TEXT NOT NULL, 
	type VARCHAR(32) DEFAULT 'unknown' NOT NULL, 
	document_id INTEGER, 
	evidence TEXT, 
	CONSTRAINT pk_speakers PRIMARY KEY (id), 
	CONSTRAINT uq_speakers_key UNIQUE ("key"), 
	CONSTRAINT fk_speakers_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_speakers_document_id ON speakers (document_id);
CREATE TABLE speaker_links (
	id INTEGER NOT NULL, 
	"key" TEXT NOT NULL, 
	speaker_id INTEGER NOT NULL, 
	speaker_name TEXT NOT NULL, 
	from_name TEXT, 
	how VARCHAR(16) NOT NULL, 
	at VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_speaker_links PRIMARY KEY (id)
);
CREATE INDEX ix_speaker_links_key ON speaker_links ("key");
CREATE TABLE outlet_names (
	id INTEGER NOT NULL, 
	"key" TEXT NOT NULL, 
	name TEXT NOT NULL, 
	quotes INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_outlet_names PRIMARY KEY (id), 
	CONSTRAINT uq_outlet_names_key_name UNIQUE ("key", name)
);
CREATE TABLE outlet_links (
	id INTEGER NOT NULL, 
	"key" TEXT NOT NULL, 
	outlet_id INTEGER NOT NULL, 
	outlet_name TEXT NOT NULL, 
	from_name TEXT, 
	how VARCHAR(16) NOT NULL, 
	at VARCHAR(32) NOT NULL, 
	CONSTRAINT pk_outlet_links PRIMARY KEY (id)
);
CREATE INDEX ix_outlet_links_key ON outlet_links ("key");
INSERT INTO alembic_version (version_num) VALUES ('0010');
