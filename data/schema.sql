-- shihyo indicator store, schema version 4 (PRAGMA user_version = 4).
--
-- Written by `shihyo import` (or any other tool that keeps to this schema);
-- read by `shihyo eval` and the daemon. Raw cell text is kept verbatim next to
-- what shihyo parsed from it. Fiscal years are Western (令和2年度 = 2020).
-- Older stores are migrated forward by daemon/src/store/store_migrations.cc.
--
-- Every change to a plan, by `shihyo import` or by any other tool (the
-- sqlite3 shell included), gives the plan a new `version` (see the triggers at
-- the end): the daemon re-reads and re-evaluates only the plans whose version
-- changed.

CREATE TABLE plans (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,   -- the title line of the table
  first_year  INTEGER NOT NULL,       -- plan period, inclusive
  last_year   INTEGER NOT NULL,
  notes       TEXT NOT NULL DEFAULT '',  -- ※ lines before the first measure, one per line
  source      TEXT NOT NULL,          -- file of the last import that changed the plan
  imported_at TEXT NOT NULL,          -- ISO 8601 UTC of that import
  year_kind   TEXT NOT NULL DEFAULT 'fiscal',  -- the actual columns' years: fiscal (年度),
                                      -- calendar (年) or unspecified (neither written)
  layout      TEXT NOT NULL DEFAULT '',  -- name of the layout that read the table (v2)
  version     INTEGER NOT NULL DEFAULT 0, -- v3: store_state.generation when the plan or
                                      -- anything under it last changed
  import_digest  TEXT,                -- v3: SHA-256 of the table the last changing import read
  import_version INTEGER              -- v3: the version that import gave the plan: while
                                      -- version still equals it, the plan is as that table
                                      -- made it, and a re-import of the same table skips it
);

CREATE TABLE projects (
  id      INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  number  INTEGER NOT NULL,           -- N of プロジェクトN (0: the table has no headings)
  heading TEXT NOT NULL,              -- verbatim
  ordinal INTEGER NOT NULL,
  UNIQUE (plan_id, number)
);

CREATE TABLE measures (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  marker        TEXT NOT NULL,        -- ①, ② … ('' for rows outside any measure)
  text          TEXT NOT NULL,        -- the measure line, verbatim
  actual_header TEXT NOT NULL,        -- 実績値, or ※実績値 when a footnote qualifies the actuals
  ordinal       INTEGER NOT NULL,
  UNIQUE (project_id, marker)
);

CREATE TABLE footnotes (
  measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,
  text       TEXT NOT NULL,           -- e.g. ※復興事業により整備した公園数
  PRIMARY KEY (measure_id, ordinal)
);

CREATE TABLE indicators (
  id                INTEGER PRIMARY KEY,
  measure_id        INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  ordinal           INTEGER NOT NULL, -- position in the table, 0-based across the plan
  source_line       INTEGER NOT NULL,
  department        TEXT,             -- from a trailing (子ども課・健康推進課)
  target_raw        TEXT NOT NULL,
  target_value      REAL,
  target_unit       TEXT,
  target_status     TEXT NOT NULL,
  target_annotated  INTEGER NOT NULL DEFAULT 0,
  target_per_year   INTEGER NOT NULL DEFAULT 0,
  target_cumulative INTEGER NOT NULL DEFAULT 0,
  target_bound      TEXT,             -- at_least (以上) / at_most (以下), or NULL
  -- v4: CHECKs spelled as OR chains, not IN lists: SQLite builds an IN list's
  -- table anew for every row it checks (a third of an import's time).
  direction         TEXT NOT NULL CHECK (direction = 'increase' OR direction = 'decrease'
                                         OR direction = 'boolean'),
  aggregation       TEXT NOT NULL CHECK (aggregation = 'level' OR aggregation = 'per_year'
                                         OR aggregation = 'cumulative' OR aggregation = 'sum'),
  -- v2: what tables of other layouts give per indicator (NULL when absent).
  code              TEXT,             -- 主要施策コード
  unit              TEXT,             -- the indicator's unit (unit column, 【人】, or a cell's)
  direction_raw     TEXT,             -- the table's direction word: アップ, ダウン, ⇗, ↓ …
  target_year       INTEGER,          -- the year the target is for (平成32年 → 2020)
  target_year_kind  TEXT,             -- fiscal / calendar / unspecified
  baseline_raw      TEXT,             -- 基準値/現状値/計画策定時, verbatim
  baseline_value    REAL,
  baseline_unit     TEXT,
  baseline_status   TEXT,
  baseline_annotated INTEGER NOT NULL DEFAULT 0,
  baseline_year     INTEGER,
  baseline_year_kind TEXT,
  UNIQUE (measure_id, name)
);

CREATE TABLE observations (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  fiscal_year  INTEGER NOT NULL,
  raw          TEXT NOT NULL,         -- the cell exactly as in the file; '' when empty
  value        REAL,
  unit         TEXT,                  -- canonical (箇所 → か所, 名 → 人)
  status       TEXT NOT NULL CHECK (status = 'value' OR status = 'missing'
                 OR status = 'survey_done' OR status = 'not_available' OR status = 'boolean'
                 OR status = 'unparseable' OR status = 'none' OR status = 'text'),  -- v4: see direction
  annotated    INTEGER NOT NULL DEFAULT 0,  -- carries ※
  parse_error  TEXT,                  -- why an unparseable cell could not be read
  reported_rate_raw TEXT,             -- v2: the achievement rate (達成率) the table reports
  reported_rate     REAL,
  PRIMARY KEY (indicator_id, fiscal_year)
) WITHOUT ROWID;

-- v2: planned values (計画値) for years of their own, and cells kept as notes
-- (内容, 備考, 区分, a mid-year snapshot, a forecast).
CREATE TABLE planned_values (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  ordinal      INTEGER NOT NULL,
  year         INTEGER NOT NULL,
  year_kind    TEXT NOT NULL,
  raw          TEXT NOT NULL,
  PRIMARY KEY (indicator_id, ordinal)
) WITHOUT ROWID;

CREATE TABLE indicator_notes (
  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  ordinal      INTEGER NOT NULL,
  label        TEXT NOT NULL,         -- the column header or tag
  text         TEXT NOT NULL,
  PRIMARY KEY (indicator_id, ordinal)
) WITHOUT ROWID;

-- One row per import that changed something; re-importing an unchanged file
-- writes nothing at all.
CREATE TABLE imports (
  id            INTEGER PRIMARY KEY,
  plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  source        TEXT NOT NULL,
  encoding      TEXT NOT NULL,
  imported_at   TEXT NOT NULL,
  cells_changed INTEGER NOT NULL
);

-- The change history: every cell an import added, changed or removed.
CREATE TABLE changes (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  indicator   TEXT NOT NULL,          -- name, kept after the indicator is removed
  fiscal_year INTEGER,                -- NULL for the target cell
  old_raw     TEXT,                   -- NULL: the cell is new
  new_raw     TEXT                    -- NULL: the indicator was removed
);

CREATE INDEX changes_by_import ON changes (import_id);

-- v3: plan versions. `generation` counts the changes to the store; a plan
-- that changes takes the next one as its `version`, so a version is never
-- given twice. `shihyo import` sets `importing` inside its own transaction
-- (it sets the versions itself, once per changed plan, and resets the flag
-- before it commits); the triggers below do it for every other writer.
CREATE TABLE store_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL DEFAULT 0,
  importing  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO store_state (id) VALUES (1);

CREATE TRIGGER plan_version_plans_insert AFTER INSERT ON plans
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN (NEW.id);
END;

CREATE TRIGGER plan_version_plans_update AFTER UPDATE OF name, first_year, last_year, notes, source, imported_at, year_kind,
  layout ON plans
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN (OLD.id,
                NEW.id);
END;

CREATE TRIGGER plan_version_projects_insert AFTER INSERT ON projects
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN (NEW.plan_id);
END;

CREATE TRIGGER plan_version_projects_update AFTER UPDATE ON projects
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN (OLD.plan_id,
                NEW.plan_id);
END;

CREATE TRIGGER plan_version_projects_delete AFTER DELETE ON projects
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN (OLD.plan_id);
END;

CREATE TRIGGER plan_version_measures_insert AFTER INSERT ON measures
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT plan_id FROM projects WHERE id = NEW.project_id));
END;

CREATE TRIGGER plan_version_measures_update AFTER UPDATE ON measures
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT plan_id FROM projects WHERE id = OLD.project_id),
                (SELECT plan_id FROM projects WHERE id = NEW.project_id));
END;

CREATE TRIGGER plan_version_measures_delete AFTER DELETE ON measures
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT plan_id FROM projects WHERE id = OLD.project_id));
END;

CREATE TRIGGER plan_version_footnotes_insert AFTER INSERT ON footnotes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = NEW.measure_id));
END;

CREATE TRIGGER plan_version_footnotes_update AFTER UPDATE ON footnotes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = OLD.measure_id),
                (SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = NEW.measure_id));
END;

CREATE TRIGGER plan_version_footnotes_delete AFTER DELETE ON footnotes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = OLD.measure_id));
END;

CREATE TRIGGER plan_version_indicators_insert AFTER INSERT ON indicators
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = NEW.measure_id));
END;

CREATE TRIGGER plan_version_indicators_update AFTER UPDATE ON indicators
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = OLD.measure_id),
                (SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = NEW.measure_id));
END;

CREATE TRIGGER plan_version_indicators_delete AFTER DELETE ON indicators
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM measures m JOIN projects pr ON pr.id = m.project_id
                WHERE m.id = OLD.measure_id));
END;

CREATE TRIGGER plan_version_observations_insert AFTER INSERT ON observations
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_observations_update AFTER UPDATE ON observations
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id),
                (SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_observations_delete AFTER DELETE ON observations
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id));
END;

CREATE TRIGGER plan_version_planned_values_insert AFTER INSERT ON planned_values
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_planned_values_update AFTER UPDATE ON planned_values
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id),
                (SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_planned_values_delete AFTER DELETE ON planned_values
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id));
END;

CREATE TRIGGER plan_version_indicator_notes_insert AFTER INSERT ON indicator_notes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_indicator_notes_update AFTER UPDATE ON indicator_notes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id),
                (SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = NEW.indicator_id));
END;

CREATE TRIGGER plan_version_indicator_notes_delete AFTER DELETE ON indicator_notes
WHEN NOT coalesce((SELECT importing FROM store_state), 0) BEGIN
  UPDATE store_state SET generation = generation + 1;
  UPDATE plans SET version = (SELECT generation FROM store_state)
    WHERE id IN ((SELECT pr.plan_id FROM indicators i JOIN measures m ON m.id = i.measure_id
                JOIN projects pr ON pr.id = m.project_id WHERE i.id = OLD.indicator_id));
END;
