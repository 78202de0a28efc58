package vault

// SetFailForTest makes every Put ask fail at each step.
func (s *Store) SetFailForTest(fail func(step string) error) { s.fail = fail }
