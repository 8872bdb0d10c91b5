-- Every change to what a firm's GED folder page shows (its documents, its folder, its file's scope)
-- announces the file on the `passerelle_ged` channel once the transaction commits, whoever made it:
-- this instance, another one, a job, SQL by hand. The servers' folder-page caches listen to it
-- (docs/decisions/122-ged-folder-page-cache.md). PostgreSQL folds identical notifications of one
-- transaction, so a bulk change of a file sends one message.
CREATE FUNCTION "passerelle_ged_notify_file"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('passerelle_ged', 'file:' || OLD.file_id::text); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('passerelle_ged', 'file:' || NEW.file_id::text); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "passerelle_ged_notify_client_file"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('passerelle_ged', 'file:' || OLD.id::text); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('passerelle_ged', 'file:' || NEW.id::text); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "passerelle_ged_notify_all"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('passerelle_ged', 'all');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "ged_documents_notify" AFTER INSERT OR UPDATE OR DELETE ON "ged_documents"
  FOR EACH ROW EXECUTE FUNCTION "passerelle_ged_notify_file"();
--> statement-breakpoint
CREATE TRIGGER "ged_folders_notify" AFTER INSERT OR UPDATE OR DELETE ON "ged_folders"
  FOR EACH ROW EXECUTE FUNCTION "passerelle_ged_notify_file"();
--> statement-breakpoint
CREATE TRIGGER "client_files_notify" AFTER UPDATE OR DELETE ON "client_files"
  FOR EACH ROW EXECUTE FUNCTION "passerelle_ged_notify_client_file"();
--> statement-breakpoint
CREATE TRIGGER "ged_documents_notify_truncate" AFTER TRUNCATE ON "ged_documents"
  FOR EACH STATEMENT EXECUTE FUNCTION "passerelle_ged_notify_all"();
--> statement-breakpoint
CREATE TRIGGER "ged_folders_notify_truncate" AFTER TRUNCATE ON "ged_folders"
  FOR EACH STATEMENT EXECUTE FUNCTION "passerelle_ged_notify_all"();
--> statement-breakpoint
CREATE TRIGGER "client_files_notify_truncate" AFTER TRUNCATE ON "client_files"
  FOR EACH STATEMENT EXECUTE FUNCTION "passerelle_ged_notify_all"();
