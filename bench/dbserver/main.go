// Command dbserver starts a throwaway PostgreSQL for the protocol
// benchmarks (bench/protocols.sh): Debian's PostgreSQL 15 in a temporary
// folder on a free loopback port (as the postgres user when run as root),
// with a database "bench" holding a table accounts(id, owner, balance) of
// -rows rows. It prints the JDBC URL and the user on the first line of
// stdout (also to -url-file), and stops and removes the server on SIGINT
// or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gometer/gometer/internal/realserver"
)

func main() {
	rows := flag.Int("rows", 1000, "rows in the accounts table")
	urlFile := flag.String("url-file", "", "also write \"<jdbc url> <user>\" to this file")
	flag.Parse()
	if err := run(*rows, *urlFile); err != nil {
		fmt.Fprintln(os.Stderr, "dbserver:", err)
		if errors.Is(err, realserver.ErrMissing) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

func run(rows int, urlFile string) error {
	pg, err := realserver.StartPostgres()
	if err != nil {
		return err
	}
	defer pg.Stop()
	if err := pg.CreateDB("bench"); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, pg.URL("bench"))
	if err != nil {
		return err
	}
	_, err = c.Exec(ctx, `create table accounts(id int primary key, owner text not null, balance numeric(12,2) not null)`)
	if err == nil {
		_, err = c.Exec(ctx, `insert into accounts select g, 'owner' || g, g * 1.25 from generate_series(1, $1::int) g`, rows)
	}
	c.Close(context.Background())
	if err != nil {
		return err
	}
	line := pg.JDBCURL("bench") + " " + pg.User
	fmt.Println(line)
	if urlFile != "" {
		if err := os.WriteFile(urlFile, []byte(line+"\n"), 0o644); err != nil {
			return err
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	return nil
}
