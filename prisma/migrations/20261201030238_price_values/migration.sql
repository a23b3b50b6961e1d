-- CreateTable
CREATE TABLE "PriceValue" (
    "id" TEXT NOT NULL,
    "componentId" TEXT NOT NULL,
    "amount" DECIMAL(20,8) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "effectiveFrom" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "confidence" "Confidence" NOT NULL,
    "note" TEXT,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fingerprint" TEXT,

    CONSTRAINT "PriceValue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PriceValue_fingerprint_key" ON "PriceValue"("fingerprint");

-- CreateIndex
CREATE INDEX "PriceValue_componentId_effectiveFrom_idx" ON "PriceValue"("componentId", "effectiveFrom");

-- AddForeignKey
ALTER TABLE "PriceValue" ADD CONSTRAINT "PriceValue_componentId_fkey" FOREIGN KEY ("componentId") REFERENCES "PriceComponent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: each component's current figure becomes its first dated value, known from its as-of date.
INSERT INTO "PriceValue" ("id", "componentId", "amount", "currency", "effectiveFrom", "source", "sourceUrl", "confidence", "note", "recordedBy", "recordedAt", "fingerprint")
SELECT 'pv_' || "id", "id", "amount", "currency", "asOf", "source", "sourceUrl", "confidence", "note", 'migration: value before history', "asOf", 'backfill:' || "slug"
FROM "PriceComponent";
