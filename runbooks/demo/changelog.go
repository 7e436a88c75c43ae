package demo

// changeLogSchema is the legacy application's change log: every change to an
// order records the table and the key of the changed row, written by triggers
// so no change escapes it, from the first row the demo writes.
// The format is the one the catch-up engine reads (see engine/catchup*.go).
const changeLogTable = `
CREATE TABLE change_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  pk         TEXT NOT NULL,
  changed_at DATETIME(6) NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
`

// changeLogTriggers are created once the history is generated, so the log
// starts empty: it holds only what changed after the demo was built.
const changeLogTriggers = `
CREATE TRIGGER orders_log_insert AFTER INSERT ON orders BEGIN
  INSERT INTO change_log (table_name, pk) VALUES ('orders', NEW.id);
END;
CREATE TRIGGER orders_log_update AFTER UPDATE ON orders BEGIN
  INSERT INTO change_log (table_name, pk) VALUES ('orders', NEW.id);
END;
CREATE TRIGGER orders_log_delete AFTER DELETE ON orders BEGIN
  INSERT INTO change_log (table_name, pk) VALUES ('orders', OLD.id);
END;
`
