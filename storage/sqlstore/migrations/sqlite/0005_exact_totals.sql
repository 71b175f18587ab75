-- A bucket total whose high part leaves int64 would be turned into floating
-- point by SQLite's arithmetic, silently; refuse the write instead, so the
-- store can report storage.ErrOverflow and keep every total exact.
CREATE TRIGGER {{prefix}}daily_exact_insert BEFORE INSERT ON {{prefix}}daily
WHEN typeof(NEW.v_hi) <> 'integer' OR typeof(NEW.n_hi) <> 'integer'
BEGIN
	SELECT RAISE(ABORT, 'goalkit: bucket total out of the exact range');
END;

CREATE TRIGGER {{prefix}}daily_exact_update BEFORE UPDATE ON {{prefix}}daily
WHEN typeof(NEW.v_hi) <> 'integer' OR typeof(NEW.n_hi) <> 'integer'
BEGIN
	SELECT RAISE(ABORT, 'goalkit: bucket total out of the exact range');
END;
