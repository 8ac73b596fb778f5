-- Users are found by their Heroku user id; the email is an attribute that Heroku may change
-- (and that another Heroku account may later hold), so it is no longer unique.
DROP INDEX "users_email_key";
CREATE INDEX "users_email_idx" ON "users"("email");

-- Resource-scoped single sign-on (a token that covers the add-on, not a user) signs in as a
-- shadow user that belongs to that one tenant only.
ALTER TABLE "users" ADD COLUMN "shadow_tenant_id" UUID;
CREATE UNIQUE INDEX "users_shadow_tenant_id_key" ON "users"("shadow_tenant_id");
ALTER TABLE "users" ADD CONSTRAINT "users_shadow_tenant_id_fkey" FOREIGN KEY ("shadow_tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- When each tenant's members were last checked against the app's collaborators on Heroku.
ALTER TABLE "tenants" ADD COLUMN "members_checked_at" TIMESTAMPTZ(3);

-- Memberships that no Heroku identity backs (made by the resource-only sign-in this release
-- closes, which trusted the form's email) are ended; their owners sign in again through Heroku.
DELETE FROM "memberships" m USING "users" u
 WHERE m."user_id" = u."id" AND u."heroku_user_id" IS NULL AND u."shadow_tenant_id" IS NULL;
