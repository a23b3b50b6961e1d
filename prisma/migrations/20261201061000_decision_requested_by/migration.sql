-- Who asked for a saved decision when a service token (the Slack bot) saves it for a person.
ALTER TABLE "Decision" ADD COLUMN "requestedBy" TEXT;
