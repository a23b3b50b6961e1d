-- CreateTable
CREATE TABLE "DecisionWatch" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "channel" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DecisionWatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceChange" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),
    "processedBy" TEXT,

    CONSTRAINT "EvidenceChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DecisionVersion" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "changeId" TEXT NOT NULL,
    "answer" JSONB NOT NULL,
    "explanation" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "notifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DecisionVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DecisionWatch_decisionId_channel_key" ON "DecisionWatch"("decisionId", "channel");

-- CreateIndex
CREATE INDEX "EvidenceChange_processedAt_createdAt_idx" ON "EvidenceChange"("processedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DecisionVersion_decisionId_changeId_key" ON "DecisionVersion"("decisionId", "changeId");

-- AddForeignKey
ALTER TABLE "DecisionWatch" ADD CONSTRAINT "DecisionWatch_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionVersion" ADD CONSTRAINT "DecisionVersion_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
