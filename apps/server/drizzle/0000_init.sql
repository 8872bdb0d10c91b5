CREATE TABLE "collaborative_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"offer_code" text NOT NULL,
	"state" text DEFAULT 'proposee' NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"proposed_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "contact_files" (
	"contact_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"firm_id" uuid NOT NULL,
	"limited_to" jsonb,
	"figures_allowed" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_files_contact_id_file_id_pk" PRIMARY KEY("contact_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"civility" text,
	"last_name" text NOT NULL,
	"first_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"org_role_id" uuid,
	"user_id" uuid,
	"external_id" text,
	"invitation_state" text DEFAULT 'none' NOT NULL,
	"invitation_error" text,
	"first_sign_in_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "file_offers" (
	"file_id" uuid NOT NULL,
	"offer_code" text NOT NULL,
	"firm_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"activated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_by" uuid,
	"deactivated_at" timestamp with time zone,
	CONSTRAINT "file_offers_file_id_offer_code_pk" PRIMARY KEY("file_id","offer_code")
);
--> statement-breakpoint
CREATE TABLE "file_widgets" (
	"file_id" uuid NOT NULL,
	"widget" text NOT NULL,
	"firm_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" uuid,
	CONSTRAINT "file_widgets_file_id_widget_pk" PRIMARY KEY("file_id","widget")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"description" text NOT NULL,
	"capabilities" jsonb NOT NULL,
	"excluded" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"free" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"ip" text,
	"user_agent" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_requests" (
	"state" text PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"firm_id" uuid,
	"return_to" text DEFAULT '/' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "firms_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "identity_providers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text,
	"client_secret" text,
	"tenant_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_providers_firm_id_unique" UNIQUE("firm_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"firm_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"id_token" text,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"role" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"email" text,
	"display_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "entra_invitation_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"invite_redirect_url" text NOT NULL,
	"requested_by" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"invited_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fec_account_months" (
	"import_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"account" text NOT NULL,
	"month" text NOT NULL,
	"opening" boolean NOT NULL,
	"debit_cents" bigint NOT NULL,
	"credit_cents" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fec_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"fiscal_year_start" date,
	"fiscal_year_end" date,
	"status" text NOT NULL,
	"report" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"blob_key" text,
	"original_name" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text,
	"line_count" integer NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"current" boolean DEFAULT false NOT NULL,
	CONSTRAINT "fec_imports_accepted_check" CHECK ("fec_imports"."status" = 'refused' or ("fec_imports"."fiscal_year_start" is not null and "fec_imports"."fiscal_year_end" is not null and "fec_imports"."blob_key" is not null)),
	CONSTRAINT "fec_imports_current_check" CHECK (not "fec_imports"."current" or "fec_imports"."status" = 'accepted')
);
--> statement-breakpoint
CREATE TABLE "ged_document_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"added_by_type" text NOT NULL,
	"added_by_id" uuid,
	"added_by_name" text NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ged_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"folder_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"blob_key" text NOT NULL,
	"fiscal_year" integer,
	"visible_to_client" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"added_by_type" text NOT NULL,
	"added_by_id" uuid,
	"added_by_name" text NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"content_text" text,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french'::regconfig, coalesce("name", '')), 'A') || setweight(to_tsvector('french'::regconfig, coalesce("content_text", '')), 'B')) STORED NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"deleted_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ged_documents_fiscal_year_check" CHECK ("ged_documents"."fiscal_year" is null or "ged_documents"."fiscal_year" between 1900 and 2200)
);
--> statement-breakpoint
CREATE TABLE "ged_folders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"visible_to_client" boolean DEFAULT false NOT NULL,
	"is_inbox" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pieces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"status" text DEFAULT 'a_traiter' NOT NULL,
	"reason" text,
	"deposited_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp (3) with time zone,
	"processed_by" uuid,
	"notified_at" timestamp (3) with time zone,
	CONSTRAINT "pieces_document_id_unique" UNIQUE("document_id"),
	CONSTRAINT "pieces_reason_check" CHECK ("pieces"."status" <> 'rejetee' or "pieces"."reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "idp_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"given_name" text,
	"family_name" text,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idp_memberships" (
	"account_id" uuid NOT NULL,
	"firm_id" uuid NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idp_memberships_account_id_firm_id_pk" PRIMARY KEY("account_id","firm_id")
);
--> statement-breakpoint
CREATE TABLE "idp_store" (
	"model" text NOT NULL,
	"id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"user_code" text,
	"uid" text,
	"expires_at" timestamp with time zone,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "idp_store_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE TABLE "mailbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"envelope_from" text,
	"envelope_to" text NOT NULL,
	"subject" text,
	"message_id" text,
	"raw" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid,
	"kind" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"message_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"siren" text,
	"legal_form" text,
	"fiscal_year_end" date,
	"responsible_id" uuid,
	"search_text" text GENERATED ALWAYS AS (lower(replace(replace(replace(replace(translate("code" || ' ' || "name" || ' ' || coalesce("siren", '') || ' ' || coalesce("legal_form", ''), 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŸ’', 'aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyyy'''), 'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'))) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_offer_code_offers_code_fk" FOREIGN KEY ("offer_code") REFERENCES "public"."offers"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_proposed_by_staff_members_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborative_services" ADD CONSTRAINT "collaborative_services_revoked_by_staff_members_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_files" ADD CONSTRAINT "contact_files_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_files" ADD CONSTRAINT "contact_files_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_files" ADD CONSTRAINT "contact_files_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_role_id_org_roles_id_fk" FOREIGN KEY ("org_role_id") REFERENCES "public"."org_roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_offers" ADD CONSTRAINT "file_offers_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_offers" ADD CONSTRAINT "file_offers_offer_code_offers_code_fk" FOREIGN KEY ("offer_code") REFERENCES "public"."offers"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_offers" ADD CONSTRAINT "file_offers_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_offers" ADD CONSTRAINT "file_offers_activated_by_staff_members_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_widgets" ADD CONSTRAINT "file_widgets_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_widgets" ADD CONSTRAINT "file_widgets_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_widgets" ADD CONSTRAINT "file_widgets_changed_by_staff_members_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_roles" ADD CONSTRAINT "org_roles_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_requests" ADD CONSTRAINT "auth_requests_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD CONSTRAINT "identity_providers_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_members" ADD CONSTRAINT "staff_members_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_members" ADD CONSTRAINT "staff_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_invitation_jobs" ADD CONSTRAINT "entra_invitation_jobs_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_invitation_jobs" ADD CONSTRAINT "entra_invitation_jobs_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_invitation_jobs" ADD CONSTRAINT "entra_invitation_jobs_requested_by_staff_members_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fec_account_months" ADD CONSTRAINT "fec_account_months_import_id_fec_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."fec_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fec_imports" ADD CONSTRAINT "fec_imports_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fec_imports" ADD CONSTRAINT "fec_imports_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fec_imports" ADD CONSTRAINT "fec_imports_imported_by_staff_members_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_document_versions" ADD CONSTRAINT "ged_document_versions_document_id_ged_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."ged_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_documents" ADD CONSTRAINT "ged_documents_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_documents" ADD CONSTRAINT "ged_documents_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_documents" ADD CONSTRAINT "ged_documents_folder_id_ged_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."ged_folders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_documents" ADD CONSTRAINT "ged_documents_deleted_by_staff_members_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_folders" ADD CONSTRAINT "ged_folders_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_folders" ADD CONSTRAINT "ged_folders_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ged_folders" ADD CONSTRAINT "ged_folders_parent_id_ged_folders_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."ged_folders"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_file_id_client_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."client_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_document_id_ged_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."ged_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_processed_by_staff_members_id_fk" FOREIGN KEY ("processed_by") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idp_memberships" ADD CONSTRAINT "idp_memberships_account_id_idp_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."idp_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idp_memberships" ADD CONSTRAINT "idp_memberships_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_mails" ADD CONSTRAINT "outbox_mails_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_files" ADD CONSTRAINT "client_files_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_files" ADD CONSTRAINT "client_files_responsible_id_staff_members_id_fk" FOREIGN KEY ("responsible_id") REFERENCES "public"."staff_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collaborative_services_live_key" ON "collaborative_services" USING btree ("file_id","contact_id","offer_code") WHERE "collaborative_services"."state" = 'proposee';--> statement-breakpoint
CREATE INDEX "collaborative_services_contact_idx" ON "collaborative_services" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "contact_files_file_idx" ON "contact_files" USING btree ("file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_firm_email_key" ON "contacts" USING btree ("firm_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_firm_user_key" ON "contacts" USING btree ("firm_id","user_id");--> statement-breakpoint
CREATE INDEX "contacts_firm_name_idx" ON "contacts" USING btree ("firm_id","last_name","first_name");--> statement-breakpoint
CREATE INDEX "file_offers_firm_idx" ON "file_offers" USING btree ("firm_id","active");--> statement-breakpoint
CREATE INDEX "invitations_contact_idx" ON "invitations" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "org_roles_firm_name_key" ON "org_roles" USING btree ("firm_id",lower("name"));--> statement-breakpoint
CREATE INDEX "audit_events_firm_at_idx" ON "audit_events" USING btree ("firm_id","at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_members_firm_email_key" ON "staff_members" USING btree ("firm_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "staff_members_firm_user_key" ON "staff_members" USING btree ("firm_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_issuer_subject_key" ON "users" USING btree ("issuer","subject");--> statement-breakpoint
CREATE INDEX "entra_invitation_jobs_due_idx" ON "entra_invitation_jobs" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "entra_invitation_jobs_live_key" ON "entra_invitation_jobs" USING btree ("contact_id") WHERE "entra_invitation_jobs"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "fec_account_months_import_idx" ON "fec_account_months" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fec_imports_current_key" ON "fec_imports" USING btree ("file_id","fiscal_year_end") WHERE "fec_imports"."current";--> statement-breakpoint
CREATE INDEX "fec_imports_file_idx" ON "fec_imports" USING btree ("file_id","imported_at");--> statement-breakpoint
CREATE INDEX "fec_imports_blob_idx" ON "fec_imports" USING btree ("blob_key");--> statement-breakpoint
CREATE UNIQUE INDEX "ged_document_versions_key" ON "ged_document_versions" USING btree ("document_id","version");--> statement-breakpoint
CREATE INDEX "ged_document_versions_blob_idx" ON "ged_document_versions" USING btree ("blob_key");--> statement-breakpoint
CREATE INDEX "ged_documents_folder_name_idx" ON "ged_documents" USING btree ("folder_id","name","id") WHERE "ged_documents"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "ged_documents_file_sha_key" ON "ged_documents" USING btree ("file_id","sha256") WHERE "ged_documents"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "ged_documents_file_added_idx" ON "ged_documents" USING btree ("file_id","added_at");--> statement-breakpoint
CREATE INDEX "ged_documents_search_idx" ON "ged_documents" USING gin ("file_id","folder_id","fiscal_year","search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "ged_folders_sibling_name_key" ON "ged_folders" USING btree ("file_id",coalesce("parent_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "ged_folders_inbox_key" ON "ged_folders" USING btree ("file_id") WHERE "ged_folders"."is_inbox";--> statement-breakpoint
CREATE INDEX "pieces_firm_inbox_idx" ON "pieces" USING btree ("firm_id","deposited_at","id");--> statement-breakpoint
CREATE INDEX "pieces_file_idx" ON "pieces" USING btree ("file_id","deposited_at","id");--> statement-breakpoint
CREATE INDEX "pieces_unnotified_idx" ON "pieces" USING btree ("file_id") WHERE "pieces"."notified_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "idp_accounts_email_key" ON "idp_accounts" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "idp_store_grant_idx" ON "idp_store" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "idp_store_uid_idx" ON "idp_store" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "idp_store_user_code_idx" ON "idp_store" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "outbox_mails_due_idx" ON "outbox_mails" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "client_files_firm_code_key" ON "client_files" USING btree ("firm_id",lower("code"));--> statement-breakpoint
CREATE INDEX "client_files_firm_code_idx" ON "client_files" USING btree ("firm_id","code");--> statement-breakpoint
CREATE INDEX "client_files_firm_name_idx" ON "client_files" USING btree ("firm_id","name");--> statement-breakpoint
CREATE INDEX "client_files_firm_responsible_idx" ON "client_files" USING btree ("firm_id","responsible_id");--> statement-breakpoint
CREATE INDEX "client_files_search_trgm_idx" ON "client_files" USING gin ("search_text" gin_trgm_ops) WITH (fastupdate=false);