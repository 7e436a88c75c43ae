package demo

// schema is the legacy database as the old application created it. Types are
// written the way a MySQL-born schema would be (DECIMAL, DATETIME(6)) so the
// engines keep their exact values across the copy.
const schema = `
CREATE TABLE merchants (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  tier       TEXT NOT NULL CHECK (tier IN ('pilot', 'core')),
  wave       INTEGER NOT NULL,            -- 1 pilot, 2 core pilot, 3 the rest
  country    TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL
);
CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL,
  name       TEXT NOT NULL,
  phone      TEXT,
  country    TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL
);
CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  merchant_id INTEGER NOT NULL,
  amount      DECIMAL(12,2) NOT NULL,
  status      TEXT NOT NULL,
  note        TEXT,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL,
  payload     BLOB
);
CREATE INDEX orders_merchant ON orders (merchant_id);
CREATE INDEX orders_user ON orders (user_id);
`
