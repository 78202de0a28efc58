package rules

import (
	"fmt"
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

type celProgram = cel.Program

// celType is the CEL type of a fact type.
func celType(t casefile.Type) *cel.Type {
	switch t {
	case casefile.TypeBool:
		return cel.BoolType
	case casefile.TypeInteger:
		return cel.IntType
	case casefile.TypeDate:
		return cel.TimestampType
	case casefile.TypeEnumList:
		return cel.ListType(cel.StringType)
	}
	return cel.StringType
}

// newEnv declares every fact as a variable of its type, as_of, and the
// date functions conditions may use.
func newEnv(defs []casefile.FactDef) (*cel.Env, error) {
	opts := []cel.EnvOption{
		cel.Variable("as_of", cel.TimestampType),
		cel.Function("date", cel.Overload("date_string", []*cel.Type{cel.StringType}, cel.TimestampType,
			cel.UnaryBinding(celDate))),
		cel.Function("years", cel.Overload("years_timestamp_timestamp", []*cel.Type{cel.TimestampType, cel.TimestampType},
			cel.IntType, cel.BinaryBinding(celYears))),
		cel.Function("days", cel.Overload("days_timestamp_timestamp", []*cel.Type{cel.TimestampType, cel.TimestampType},
			cel.IntType, cel.BinaryBinding(celDays))),
	}
	for _, d := range defs {
		opts = append(opts, cel.Variable(d.Name, celType(d.Type)))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("rules: build the condition language: %w", err)
	}
	return env, nil
}

func celDate(v ref.Val) ref.Val {
	s, ok := v.(types.String)
	if !ok {
		return types.NewErr("date() takes a string")
	}
	d, err := casefile.ParseDate(string(s))
	if err != nil {
		return types.NewErr("date(%q): %v", string(s), err)
	}
	return types.Timestamp{Time: d.Time()}
}

func timesOf(a, b ref.Val) (time.Time, time.Time, bool) {
	ta, ok1 := a.(types.Timestamp)
	tb, ok2 := b.(types.Timestamp)
	return ta.Time.UTC(), tb.Time.UTC(), ok1 && ok2
}

// celYears is the number of whole years from a to b: an age.
func celYears(a, b ref.Val) ref.Val {
	from, to, ok := timesOf(a, b)
	if !ok {
		return types.NewErr("years() takes two dates")
	}
	return types.Int(wholeYears(casefile.DateOf(from), casefile.DateOf(to)))
}

func wholeYears(from, to casefile.Date) int {
	y := to.Year - from.Year
	if to.Month < from.Month || (to.Month == from.Month && to.Day < from.Day) {
		y--
	}
	return y
}

// celDays is the number of whole days from a to b.
func celDays(a, b ref.Val) ref.Val {
	from, to, ok := timesOf(a, b)
	if !ok {
		return types.NewErr("days() takes two dates")
	}
	return types.Int(int64(casefile.DateOf(to).Time().Sub(casefile.DateOf(from).Time()) / (24 * time.Hour)))
}

// condErr is a problem in a condition, at a line offset within it.
type condErr struct {
	line int
	msg  string
}

// compileCondition type-checks a condition, requires it to be true or
// false, checks its date literals, and collects the facts it reads.
func compileCondition(env *cel.Env, expr string, facts map[string]*Fact) (*compiled, []condErr) {
	ast, iss := env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		var errs []condErr
		for _, e := range iss.Errors() {
			errs = append(errs, condErr{max(e.Location.Line()-1, 0),
				fmt.Sprintf("%s (column %d)", e.Message, e.Location.Column()+1)})
		}
		return nil, errs
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		return nil, []condErr{{0, fmt.Sprintf("must be true or false, but it is of type %s", ast.OutputType())}}
	}
	nav := celast.NavigateAST(ast.NativeRep())
	if errs := checkDateLiterals(nav); len(errs) > 0 {
		return nil, errs
	}
	prg, err := env.Program(ast, cel.EvalOptions(cel.OptPartialEval))
	if err != nil {
		return nil, []condErr{{0, err.Error()}}
	}
	return &compiled{prg: prg, refs: factRefs(nav, facts), lits: literalsOf(nav)}, nil
}

func checkDateLiterals(nav celast.NavigableExpr) []condErr {
	var errs []condErr
	for _, call := range celast.MatchDescendants(nav, celast.FunctionMatcher("date")) {
		args := call.AsCall().Args()
		if len(args) != 1 || args[0].Kind() != celast.LiteralKind {
			continue
		}
		if s, ok := args[0].AsLiteral().(types.String); ok {
			if _, err := casefile.ParseDate(string(s)); err != nil {
				errs = append(errs, condErr{0, fmt.Sprintf("date(%q): %v", string(s), err)})
			}
		}
	}
	return errs
}

// factRefs lists the facts an expression reads, in order of appearance.
func factRefs(nav celast.NavigableExpr, facts map[string]*Fact) []string {
	var refs []string
	for _, id := range celast.MatchDescendants(nav, celast.KindMatcher(celast.IdentKind)) {
		name := id.AsIdent()
		if _, ok := facts[name]; ok && !slices.Contains(refs, name) {
			refs = append(refs, name)
		}
	}
	return refs
}

// literals are the constants a condition compares facts with; the
// contradiction check builds its test values from them.
type literals struct {
	ints    []int64
	dates   []casefile.Date
	strings []string
}

func literalsOf(nav celast.NavigableExpr) literals {
	var lits literals
	for _, c := range celast.MatchDescendants(nav, celast.KindMatcher(celast.LiteralKind)) {
		switch v := c.AsLiteral().(type) {
		case types.Int:
			lits.ints = append(lits.ints, int64(v))
		case types.String:
			if d, err := casefile.ParseDate(string(v)); err == nil {
				lits.dates = append(lits.dates, d)
			} else {
				lits.strings = append(lits.strings, string(v))
			}
		}
	}
	return lits
}
