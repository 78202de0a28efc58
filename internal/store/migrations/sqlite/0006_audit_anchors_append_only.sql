-- Anchors of the audit trail are never changed or removed.
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
	BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END;
CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
	BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END;
