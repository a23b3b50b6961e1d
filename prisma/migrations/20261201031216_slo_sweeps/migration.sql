-- AlterTable
ALTER TABLE "BenchmarkResult" ADD COLUMN     "serverConfiguration" TEXT,
ADD COLUMN     "sloSweepId" TEXT;

-- CreateTable
CREATE TABLE "SloSweep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "boxId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "serverConfiguration" TEXT,
    "slos" JSONB NOT NULL,
    "endReason" TEXT NOT NULL,
    "maxConcurrencyAtSlo" INTEGER,
    "firstMissConcurrency" INTEGER,
    "goodputRequestsPerSecond" DOUBLE PRECISION,
    "goodputOutputTokensPerSecond" DOUBLE PRECISION,
    "levels" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "measuredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SloSweep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SloSweep_boxId_variantId_measuredAt_idx" ON "SloSweep"("boxId", "variantId", "measuredAt");

-- AddForeignKey
ALTER TABLE "BenchmarkResult" ADD CONSTRAINT "BenchmarkResult_sloSweepId_fkey" FOREIGN KEY ("sloSweepId") REFERENCES "SloSweep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SloSweep" ADD CONSTRAINT "SloSweep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "BenchmarkRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SloSweep" ADD CONSTRAINT "SloSweep_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Box"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SloSweep" ADD CONSTRAINT "SloSweep_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
