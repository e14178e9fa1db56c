-- Knowledge base: documents split into passages, each with a MiniLM (384-d) embedding and a
-- full-text vector for hybrid (semantic + keyword) search.

CREATE TABLE kb_documents (
    id           uuid PRIMARY KEY,
    source       text NOT NULL UNIQUE,
    title        text NOT NULL,
    content_hash text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kb_chunks (
    id          uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    ordinal     integer NOT NULL CHECK (ordinal >= 0),
    section     text NOT NULL,
    content     text NOT NULL CHECK (content <> ''),
    embedding   vector(384),
    tsv         tsvector GENERATED ALWAYS AS (
        to_tsvector('english', section || ' ' || content)
    ) STORED,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX kb_chunks_embedding ON kb_chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX kb_chunks_tsv ON kb_chunks USING gin (tsv);
