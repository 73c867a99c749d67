// Command ferretdb runs FerretDB v1 (MongoDB wire protocol) with its SQLite
// backend, embedded as a library. It exists because `go install
// .../cmd/ferretdb@v1.24.2` panics at start (missing version.txt).
//
// Local test infrastructure only: production and docker compose use MongoDB.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:39017", "TCP address to listen on")
	sqliteDir := flag.String("sqlite-dir", "", "directory holding the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", "info", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatal("bad -log-level", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	if *sqliteDir == "" {
		fatal("-sqlite-dir is required", nil)
	}
	dir, err := filepath.Abs(*sqliteDir)
	if err != nil {
		fatal("bad -sqlite-dir", err)
	}
	if err = os.MkdirAll(dir, 0o755); err != nil {
		fatal("cannot create -sqlite-dir", err)
	}
	// FerretDB wants a "file:" URI naming an existing directory, ending in "/".
	sqliteURL := "file:" + strings.TrimSuffix(dir, "/") + "/"

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fatal("cannot create FerretDB", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	go func() {
		logger.Info("FerretDB listening", "uri", f.MongoDBURI(), "sqlite", sqliteURL)
	}()

	if err = f.Run(ctx); err != nil {
		fatal("FerretDB stopped", err)
	}
	logger.Info("FerretDB stopped")
}

func fatal(msg string, err error) {
	if err != nil {
		slog.Error(msg, "error", err)
	} else {
		slog.Error(msg)
	}
	os.Exit(1)
}
