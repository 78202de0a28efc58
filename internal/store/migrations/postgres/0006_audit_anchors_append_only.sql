-- Anchors of the audit trail are never changed or removed.
CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
