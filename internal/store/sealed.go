package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// seal encodes v as JSON and seals it for the case.
func (tx *Tx) seal(caseID int64, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	s, err := tx.db.sealer.Seal(caseID, b)
	if err != nil {
		return nil, fmt.Errorf("store: seal: %w", err)
	}
	return s, nil
}

// open unseals data of the case and decodes its JSON into v.
func (tx *Tx) open(caseID int64, sealed []byte, v any) error {
	b, err := tx.db.sealer.Open(caseID, sealed)
	if err != nil {
		return fmt.Errorf("store: open sealed data of case %d: %w", caseID, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode sealed data of case %d: %w", caseID, err)
	}
	return nil
}

// timeArg is the transaction's time as the dialect stores it.
func (tx *Tx) timeArg() any { return tx.db.dialect.timeArg(tx.now) }

// timeValue is any time as the dialect stores it.
func (tx *Tx) timeValue(t time.Time) any { return tx.db.dialect.timeArg(t) }
