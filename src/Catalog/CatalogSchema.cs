namespace HotDistance.Catalog;

/// <summary>
/// The catalog's tables as numbered migrations, applied in order and recorded in <c>schema_migrations</c>. The DDL
/// is written once for both databases: TEXT, BIGINT and DOUBLE PRECISION mean the same to SQLite (by type affinity)
/// and PostgreSQL. Append new migrations; never edit an applied one.
/// </summary>
internal static class CatalogSchema
{
    public const string MigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT NOT NULL PRIMARY KEY,
            applied_at TEXT NOT NULL)
        """;

    public static IReadOnlyList<(long Version, string[] Statements)> Migrations { get; } =
    [
        (1,
        [
            """
            CREATE TABLE crops (
                content_hash TEXT NOT NULL PRIMARY KEY,
                crop_id TEXT NOT NULL,
                name TEXT NOT NULL,
                split TEXT NOT NULL,
                shape TEXT NOT NULL,
                voxel_size_nm TEXT NOT NULL,
                store_path TEXT NOT NULL,
                ingested_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE crop_classes (
                content_hash TEXT NOT NULL,
                class_name TEXT NOT NULL,
                PRIMARY KEY (content_hash, class_name))
            """,
            """
            CREATE TABLE crop_rejections (
                quarantine_path TEXT NOT NULL PRIMARY KEY,
                source TEXT NOT NULL,
                reason TEXT NOT NULL,
                rejected_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE generations (
                generation_id TEXT NOT NULL PRIMARY KEY,
                number BIGINT NULL,
                crop_count BIGINT NULL,
                new_crop_count BIGINT NULL,
                requested_at TEXT NULL)
            """,
            """
            CREATE TABLE jobs (
                generation_id TEXT NOT NULL,
                variant TEXT NOT NULL,
                state TEXT NOT NULL,
                state_rank BIGINT NOT NULL,
                step BIGINT NOT NULL,
                total_steps BIGINT NULL,
                loss DOUBLE PRECISION NULL,
                steps_per_second DOUBLE PRECISION NULL,
                runner TEXT NULL,
                checkpoint_path TEXT NULL,
                checkpoint_sha256 TEXT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (generation_id, variant))
            """,
            """
            CREATE TABLE evaluations (
                generation_id TEXT NOT NULL PRIMARY KEY,
                evaluation_id TEXT NOT NULL,
                generation_number BIGINT NOT NULL,
                winner_variant TEXT NULL,
                reason TEXT NOT NULL,
                held_out_crops BIGINT NOT NULL,
                training_crops BIGINT NOT NULL,
                report_path TEXT NOT NULL,
                completed_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE evaluation_scores (
                generation_id TEXT NOT NULL,
                variant TEXT NOT NULL,
                role TEXT NOT NULL,
                overall DOUBLE PRECISION NOT NULL,
                per_class TEXT NOT NULL,
                PRIMARY KEY (generation_id, variant, role))
            """,
            """
            CREATE TABLE promotions (
                generation_id TEXT NOT NULL PRIMARY KEY,
                outcome TEXT NOT NULL,
                model_name TEXT NULL,
                version BIGINT NULL,
                variant TEXT NULL,
                overall DOUBLE PRECISION NULL,
                model_uri TEXT NULL,
                sha256 TEXT NULL,
                reason TEXT NULL,
                decided_at TEXT NOT NULL)
            """,
            "CREATE INDEX crops_split ON crops (split)",
            "CREATE INDEX promotions_decided_at ON promotions (decided_at)",
        ]),
        (2,
        [
            "ALTER TABLE jobs ADD COLUMN failure TEXT NULL",
        ]),
        (3,
        [
            """
            CREATE TABLE security_events (
                message_id TEXT NOT NULL,
                consumer TEXT NOT NULL,
                message_type TEXT NOT NULL,
                subject TEXT NOT NULL,
                reason TEXT NOT NULL,
                refused_at TEXT NOT NULL,
                PRIMARY KEY (message_id, consumer))
            """,
            "CREATE INDEX security_events_refused_at ON security_events (refused_at)",
        ]),
        (4,
        [
            """
            CREATE TABLE rollbacks (
                model_name TEXT NOT NULL,
                version BIGINT NOT NULL,
                from_version BIGINT NOT NULL,
                reason TEXT NOT NULL,
                rolled_back_at TEXT NOT NULL,
                PRIMARY KEY (model_name, rolled_back_at))
            """,
        ]),
        (5,
        [
            """
            CREATE TABLE generation_stalls (
                generation_id TEXT NOT NULL,
                stage TEXT NOT NULL,
                reason TEXT NOT NULL,
                stalled_at TEXT NOT NULL,
                PRIMARY KEY (generation_id, stage))
            """,
        ]),
        // Flags (clears_margin, regression, retraining_requested) are BIGINT 0 or 1: PostgreSQL's BOOLEAN and
        // SQLite's integers would need different SQL and different row types.
        (6,
        [
            // Every progress report's loss, for the dashboard's curves; jobs keeps only the latest.
            """
            CREATE TABLE job_progress (
                generation_id TEXT NOT NULL,
                variant TEXT NOT NULL,
                step BIGINT NOT NULL,
                loss DOUBLE PRECISION NOT NULL,
                observed_at TEXT NOT NULL,
                PRIMARY KEY (generation_id, variant, step))
            """,
            // The promotion decision's settings; NULL for evaluations recorded before, or without a decision.
            "ALTER TABLE evaluations ADD COLUMN margin DOUBLE PRECISION NULL",
            "ALTER TABLE evaluations ADD COLUMN confidence_level DOUBLE PRECISION NULL",
            """
            CREATE TABLE evaluation_comparisons (
                generation_id TEXT NOT NULL,
                variant TEXT NOT NULL,
                overall DOUBLE PRECISION NOT NULL,
                champion_overall DOUBLE PRECISION NOT NULL,
                difference DOUBLE PRECISION NOT NULL,
                interval_lower DOUBLE PRECISION NOT NULL,
                interval_upper DOUBLE PRECISION NOT NULL,
                clears_margin BIGINT NOT NULL,
                PRIMARY KEY (generation_id, variant))
            """,
            """
            CREATE TABLE nightly_evaluations (
                night_key TEXT NOT NULL PRIMARY KEY,
                scheduled_for TEXT NOT NULL,
                champion_overall DOUBLE PRECISION NULL,
                baseline_overall DOUBLE PRECISION NULL,
                regression BIGINT NOT NULL,
                retraining_requested BIGINT NOT NULL,
                summary TEXT NOT NULL,
                completed_at TEXT NOT NULL)
            """,
            "CREATE INDEX nightly_evaluations_scheduled_for ON nightly_evaluations (scheduled_for)",
            """
            CREATE TABLE site_reports (
                site TEXT NOT NULL PRIMARY KEY,
                model_name TEXT NOT NULL,
                version BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                reported_at TEXT NOT NULL)
            """,
        ]),
    ];
}
