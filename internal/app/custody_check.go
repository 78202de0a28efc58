package app

import (
	"bytes"
	"context"
	"encoding/base64"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// custodyLock serialises the start-up checks of the custody log, so that
// two instances starting at once against a new database cannot both
// record their own log as the database's.
const custodyLock = "custody log"

// origin is the name of the instance's custody log, which keys what the
// database records about it.
func (ev *Evidence) origin() string { return ev.Custody.Key().Origin() }

// CheckCustody makes sure the custody log is the one this database's
// evidence is recorded in, and that it was not rolled back; start-up
// calls it before anything else touches the evidence. It refuses, and
// changes nothing:
//   - a log other than the one the database knows (another instance's
//     data directory or log key against the same database);
//   - a log that already holds entries, meeting a database that has never
//     recorded a log (the wrong database);
//   - a log under another key with the same name (origin) as the known one;
//   - a log older than the newest checkpoint recorded (restored from an
//     old backup, or replaced), or one that shows another tree at the
//     same size.
//
// Otherwise it records the log's current checkpoint; a new database
// meeting a new, empty log takes it as its log from then on.
func (a *App) CheckCustody(ctx context.Context) error {
	ev, err := a.evidence()
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Lock(ctx, custodyLock); err != nil {
			return err
		}
		states, err := tx.CustodyStates(ctx)
		if err != nil {
			return err
		}
		// The checkpoint is read after what the database recorded: every
		// recorded checkpoint was published before it was recorded, so a
		// running instance recording a newer one meanwhile cannot make
		// this one look rolled back.
		cp, err := ev.Custody.Checkpoint(ctx)
		if err != nil {
			return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the custody log's checkpoint does not verify", Err: err}
		}
		if err := checkLog(ev.Custody, cp, states); err != nil {
			return err
		}
		return tx.SaveCustodyState(ctx, custodyState(cp))
	})
}

// custodyState is what the database records of a checkpoint.
func custodyState(cp ledger.Checkpoint) store.CustodyState {
	return store.CustodyState{Origin: cp.Origin, Size: cp.N, Root: base64.StdEncoding.EncodeToString(cp.Hash[:]), Checkpoint: cp.Signed}
}

// checkLog compares the log and its checkpoint with what the database
// recorded; see CheckCustody.
func checkLog(lg *ledger.Log, cp ledger.Checkpoint, states []store.CustodyState) error {
	var known *store.CustodyState
	for i := range states {
		if states[i].Origin == cp.Origin {
			known = &states[i]
		}
	}
	switch {
	case known == nil && len(states) > 0:
		return sanctuary.Errorf(sanctuary.ECONFLICT,
			"this database's evidence is recorded in custody log %s; this server's custody log is %s (in %s): refusing to start, nothing was changed. "+
				"Start it with the data directory (SANCTUARY_DATA_DIR) or the log key (SANCTUARY_LOG_KEY_FILE) of the instance that keeps log %s, or use another database",
			states[0].Origin, cp.Origin, lg.Dir(), states[0].Origin)
	case known == nil && cp.N > 0:
		return sanctuary.Errorf(sanctuary.ECONFLICT,
			"the custody log %s (in %s) holds %d entries, but this database has never recorded a custody log: it is not the database this log's evidence is recorded in; "+
				"refusing to start, nothing was changed. Start with that database (SANCTUARY_DATABASE_URL), or give a new database a new, empty data directory",
			cp.Origin, lg.Dir(), cp.N)
	case known == nil:
		return nil
	case lg.Verify(known.Checkpoint) != nil:
		return sanctuary.Errorf(sanctuary.ECONFLICT,
			"the custody log %s (in %s) is signed with another key than the log of that name this database's evidence is recorded in: "+
				"the log key was replaced; refusing to use it. Start with the instance's own log key (SANCTUARY_LOG_KEY_FILE)", cp.Origin, lg.Dir())
	case cp.N < known.Size:
		return sanctuary.Errorf(sanctuary.EUNAVAILABLE,
			"the custody log holds %d entries, but a checkpoint of %d entries was published: the log was rolled back (restored from an old backup?); refusing to use it", cp.N, known.Size)
	case cp.N == known.Size && known.Root != custodyState(cp).Root && !bytes.Equal(known.Checkpoint, cp.Signed):
		return sanctuary.Errorf(sanctuary.EUNAVAILABLE,
			"the custody log shows another tree of the same size as the checkpoint it published: refusing to use it")
	}
	return nil
}

// RecordedCustodyLog returns the origin of the custody log this
// database's evidence is recorded in, or "" if it has recorded none yet.
// Start-up asks before it makes a new log key: a database that knows a
// log must not silently get a second one.
func (a *App) RecordedCustodyLog(ctx context.Context) (string, error) {
	var states []store.CustodyState
	if err := a.db.View(ctx, func(tx *store.Tx) (err error) { states, err = tx.CustodyStates(ctx); return err }); err != nil {
		return "", err
	}
	if len(states) == 0 {
		return "", nil
	}
	return states[0].Origin, nil
}

// StartEvidence readies the evidence for a process that starts: it checks
// the custody log (CheckCustody), finishes or undoes ingests interrupted
// for longer than OrphanGrace (younger ones may be under way in another
// process), and removes temporary files as old.
func (a *App) StartEvidence(ctx context.Context) (RecoveryReport, error) {
	ev, err := a.evidence()
	if err != nil {
		return RecoveryReport{}, err
	}
	if err := a.CheckCustody(ctx); err != nil {
		return RecoveryReport{}, err
	}
	rep, err := a.RecoverEvidence(ctx, OrphanGrace)
	if err != nil {
		return rep, err
	}
	_, err = ev.Store.Sweep(OrphanGrace)
	return rep, err
}
