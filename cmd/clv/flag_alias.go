package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// deprecatedAnnotation marks a flag kept under its old name after a rename:
// the value is the new name.
const deprecatedAnnotation = "clv-deprecated-alias"

// aliasFlag registers oldName as a hidden, deprecated alias of the flag
// newName (already registered on fs): both set the same value. Using the
// old name prints a note (checkDeprecatedFlags) for one release.
func aliasFlag(fs *pflag.FlagSet, newName, oldName string) {
	f := fs.Lookup(newName)
	if f == nil {
		panic("aliasFlag: no flag --" + newName)
	}
	fs.AddFlag(&pflag.Flag{
		Name: oldName, Usage: "deprecated: use --" + newName, Value: f.Value, DefValue: f.DefValue,
		NoOptDefVal: f.NoOptDefVal, Hidden: true, Annotations: map[string][]string{deprecatedAnnotation: {newName}},
	})
}

// checkDeprecatedFlags notes every deprecated alias on the command line
// (not with --quiet) and marks the new flag as given, so code that asks
// whether --NEW was given sees the alias too. Giving both is a usage error.
func (a *app) checkDeprecatedFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		names := f.Annotations[deprecatedAnnotation]
		if len(names) == 0 || err != nil {
			return
		}
		nf := cmd.Flags().Lookup(names[0])
		if nf.Changed {
			err = usagef("give --%s or its deprecated name --%s, not both", nf.Name, f.Name)
			return
		}
		nf.Changed = true
		a.notef("note: --%s is deprecated and will be removed in the next release; use --%s", f.Name, nf.Name)
	})
	return err
}

// hideInherited keeps the global flags a command does not use out of its
// --help (each command shows only the flags it uses): they are hidden while
// its help is printed.
func hideInherited(cmd *cobra.Command, names ...string) *cobra.Command {
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		var hidden []*pflag.Flag
		for _, n := range names {
			if f := c.InheritedFlags().Lookup(n); f != nil && !f.Hidden {
				f.Hidden = true
				hidden = append(hidden, f)
			}
		}
		defer func() {
			for _, f := range hidden {
				f.Hidden = false
			}
		}()
		c.Root().HelpFunc()(c, args)
	})
	return cmd
}
