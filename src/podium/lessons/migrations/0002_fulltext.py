"""The full-text index of lessons on SQLite: an FTS5 table over the lesson's text columns
(external content: it stores only the index) kept current by triggers, so every write —
services, bulk updates, deletes — updates it. PostgreSQL needs nothing stored: search
builds its tsvector from the columns (see podium.lessons.search)."""

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE lessons_lesson_fts USING fts5(
        title, description, root_cause, recommendation, tags, content='lessons_lesson', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER lessons_lesson_fts_ai AFTER INSERT ON lessons_lesson BEGIN
        INSERT INTO lessons_lesson_fts(rowid, title, description, root_cause, recommendation, tags)
        VALUES (new.id, new.title, new.description, new.root_cause, new.recommendation,
                new.tags);
    END""",
    """CREATE TRIGGER lessons_lesson_fts_ad AFTER DELETE ON lessons_lesson BEGIN
        INSERT INTO lessons_lesson_fts(lessons_lesson_fts, rowid, title, description, root_cause, recommendation, tags)
        VALUES ('delete', old.id, old.title, old.description, old.root_cause,
                old.recommendation, old.tags);
    END""",
    """CREATE TRIGGER lessons_lesson_fts_au AFTER UPDATE ON lessons_lesson BEGIN
        INSERT INTO lessons_lesson_fts(lessons_lesson_fts, rowid, title, description, root_cause, recommendation, tags)
        VALUES ('delete', old.id, old.title, old.description, old.root_cause,
                old.recommendation, old.tags);
        INSERT INTO lessons_lesson_fts(rowid, title, description, root_cause, recommendation, tags)
        VALUES (new.id, new.title, new.description, new.root_cause, new.recommendation,
                new.tags);
    END""",
    "INSERT INTO lessons_lesson_fts(lessons_lesson_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS lessons_lesson_fts_au",
    "DROP TRIGGER IF EXISTS lessons_lesson_fts_ad",
    "DROP TRIGGER IF EXISTS lessons_lesson_fts_ai",
    "DROP TABLE IF EXISTS lessons_lesson_fts",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in CREATE:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
