package fang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportedNames lists the exported names declared by the non-test Go files
// of dir: functions, types, variables, constants, as Name, and methods and
// interface methods as Type.Name.
func exportedNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					typ := d.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					if id, ok := typ.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				if ast.IsExported(d.Name.Name) {
					names[name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						names[s.Name.Name] = true
						if it, ok := s.Type.(*ast.InterfaceType); ok {
							for _, m := range it.Methods.List {
								for _, id := range m.Names {
									if id.IsExported() {
										names[s.Name.Name+"."+id.Name] = true
									}
								}
							}
						}
					case *ast.ValueSpec:
						for _, id := range s.Names {
							if id.IsExported() {
								names[id.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return names
}

// TestPlumbingNotExported: the plumbing of issue 18 item 8 is not public
// (fang.SecretQueryParams was a mutable exported slice; auth had two lock
// APIs and exported its token-placing routine; property.Client exported
// HashesPassword for the CLI), and the names DESIGN.md fixes are.
func TestPlumbingNotExported(t *testing.T) {
	for _, tt := range []struct {
		dir           string
		gone, present []string
	}{
		{".", []string{"SecretQueryParams"}, []string{"RedactedURL", "TraceSafeTransport", "URLHasSecrets"}},
		{"auth", []string{"Store.TryLock", "memoryStore.TryLock", "Leaser", "Carrier", "ParamName", "Placement.Place", "Placement.Check"},
			[]string{"Store", "Store.Load", "Store.Save", "Store.TryLease", "Lease", "Lease.Extend", "Lease.Release", "ErrLocked",
				"Placement", "InHeader", "InForm", "InCookie", "InQuery", "Placement.String", "Placement.Valid", "ParsePlacement",
				"ErrInvalidTokenValue", "RenewingConfig", "NewRenewingSource", "RenewingSource", "NewMemoryStore"}},
		{"auth/redisstore", []string{"Store.TryLock"}, []string{"New", "Store", "Store.Load", "Store.Save", "Store.TryLease"}},
		{"property", []string{"Client.HashesPassword"}, []string{"Session", "Client.Login", "Client.OpenSession", "PropertyAppID", "PasswordMode"}},
	} {
		names := exportedNames(t, tt.dir)
		for _, n := range tt.gone {
			if names[n] {
				t.Errorf("%s exports %s", tt.dir, n)
			}
		}
		for _, n := range tt.present {
			if !names[n] {
				t.Errorf("%s does not export %s", tt.dir, n)
			}
		}
	}
}
