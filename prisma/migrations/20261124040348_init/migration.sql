-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PathKind" AS ENUM ('OWNED_BOX', 'PROVISIONED_THROUGHPUT', 'CUSTOM_MODEL_IMPORT', 'NATIVE_FINE_TUNE', 'ON_DEMAND_TOKENS', 'RENTED_INSTANCE');

-- CreateEnum
CREATE TYPE "PriceKind" AS ENUM ('PURCHASE', 'ELECTRICITY_PER_KWH', 'OPS_PER_MONTH', 'MODEL_UNIT_HOUR', 'CMU_MINUTE', 'CMU_STORAGE_MONTH', 'TRAINING_PER_1K_TOKENS', 'MODEL_STORAGE_MONTH', 'INPUT_PER_1M_TOKENS', 'OUTPUT_PER_1M_TOKENS', 'INSTANCE_HOUR');

-- CreateEnum
CREATE TYPE "Confidence" AS ENUM ('C', 'S', 'U');

-- CreateEnum
CREATE TYPE "DapmLayer" AS ENUM ('LAYER0', 'LAYER2B', 'LAYER2C');

-- CreateEnum
CREATE TYPE "Placement" AS ENUM ('RETAINED', 'DELEGATED', 'IMPLICIT');

-- CreateEnum
CREATE TYPE "FeasibilityStatus" AS ENUM ('FEASIBLE', 'BLOCKED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "FineTuneMethod" AS ENUM ('NONE', 'LORA', 'QLORA', 'FULL', 'MANAGED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'LEASED', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EndpointKind" AS ENUM ('COMPLETIONS', 'CHAT');

-- CreateEnum
CREATE TYPE "ResultSource" AS ENUM ('RUNNER', 'IMPORT', 'SEED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'OPERATOR', 'ADMIN', 'RUNNER');

-- CreateEnum
CREATE TYPE "AccessChannel" AS ENUM ('SELF_SERVE_FORM', 'SUPPORT_CASE', 'ACCOUNT_ESCALATION', 'RELATIONSHIP', 'PURCHASE');

-- CreateEnum
CREATE TYPE "AccessOutcome" AS ENUM ('PENDING', 'APPROVED', 'SOFT_DENY_WRONG_LANE', 'DENIED', 'NO_ANSWER', 'ESCALATED');

-- CreateEnum
CREATE TYPE "CapacityKind" AS ENUM ('CMUS_PER_COPY', 'OUTPUT_TOKENS_PER_MINUTE_PER_UNIT', 'DECODE_TOKENS_PER_SECOND_PER_STREAM', 'TTFT_P95_MS', 'MAX_UNITS_WITHOUT_QUOTA_CASE');

-- CreateTable
CREATE TABLE "Vendor" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Box" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "vendorId" TEXT NOT NULL,
    "acceleratorClass" TEXT NOT NULL,
    "memoryGiB" DECIMAL(12,3) NOT NULL,
    "memoryBandwidthGBs" DECIMAL(12,3) NOT NULL,
    "powerActiveW" DECIMAL(12,3) NOT NULL,
    "powerIdleW" DECIMAL(12,3) NOT NULL,
    "purchasePrice" DECIMAL(20,8) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "amortizationMonths" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "confidence" "Confidence" NOT NULL,

    CONSTRAINT "Box_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "totalParamsB" DECIMAL(10,3) NOT NULL,
    "activeParamsB" DECIMAL(10,3) NOT NULL,
    "isMoe" BOOLEAN NOT NULL,
    "contextLength" INTEGER NOT NULL,
    "layers" INTEGER,
    "kvHeads" INTEGER,
    "headDim" INTEGER,

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVariant" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "isFineTuned" BOOLEAN NOT NULL,
    "method" "FineTuneMethod" NOT NULL,
    "trainingMinutes" INTEGER,
    "trainedWhere" TEXT,
    "weightsLocation" TEXT NOT NULL,
    "weightsExportable" BOOLEAN NOT NULL,
    "quantization" TEXT,
    "bytesPerParam" DECIMAL(6,3),
    "notes" TEXT,

    CONSTRAINT "ModelVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FineTuneFeasibility" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "stack" TEXT NOT NULL,
    "servable" BOOLEAN NOT NULL,
    "trainable" "FeasibilityStatus" NOT NULL,
    "blockers" TEXT[],
    "source" TEXT NOT NULL,
    "observedAt" DATE NOT NULL,

    CONSTRAINT "FineTuneFeasibility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServingPath" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "kind" "PathKind" NOT NULL,
    "vendorId" TEXT NOT NULL,
    "boxId" TEXT,
    "acceleratorClass" TEXT,
    "customWeightsSupported" BOOLEAN NOT NULL,
    "weightsExportable" BOOLEAN NOT NULL,
    "bringYourOwnWeights" BOOLEAN NOT NULL,
    "scaleToZero" BOOLEAN NOT NULL,
    "coldStartSeconds" INTEGER,
    "quotaRequired" BOOLEAN NOT NULL,
    "quotaWall" TEXT,
    "procurementChannel" "AccessChannel" NOT NULL,
    "leadTimeDays" INTEGER,
    "region" TEXT,

    CONSTRAINT "ServingPath_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CapacityFact" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "pathId" TEXT NOT NULL,
    "kind" "CapacityKind" NOT NULL,
    "modelId" TEXT,
    "value" DECIMAL(16,4) NOT NULL,
    "source" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "confidence" "Confidence" NOT NULL,
    "isAssumption" BOOLEAN NOT NULL,

    CONSTRAINT "CapacityFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceComponent" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "pathId" TEXT NOT NULL,
    "kind" "PriceKind" NOT NULL,
    "amount" DECIMAL(20,8) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "unit" TEXT NOT NULL,
    "billingWindowMinutes" INTEGER,
    "commitmentMonths" INTEGER,
    "minimumDurationHours" INTEGER,
    "modelId" TEXT,
    "region" TEXT,
    "source" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "asOf" DATE NOT NULL,
    "confidence" "Confidence" NOT NULL,
    "isAssumption" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PriceComponent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LayerPlacement" (
    "id" TEXT NOT NULL,
    "pathId" TEXT NOT NULL,
    "layer" "DapmLayer" NOT NULL,
    "placement" "Placement" NOT NULL,
    "rationale" TEXT NOT NULL,

    CONSTRAINT "LayerPlacement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorAssessment" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "vendorId" TEXT NOT NULL,
    "layer" TEXT NOT NULL,
    "grade" TEXT NOT NULL,
    "assessedAt" DATE NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "VendorAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabFinding" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "evidence" TEXT[],
    "source" TEXT NOT NULL,

    CONSTRAINT "LabFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BenchmarkRun" (
    "id" TEXT NOT NULL,
    "boxId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "endpointKind" "EndpointKind" NOT NULL,
    "spec" JSONB NOT NULL,
    "specHash" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "leasedBy" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "progress" JSONB,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "failureReason" TEXT,
    "attemptHistory" JSONB NOT NULL DEFAULT '[]',
    "idempotencyKey" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BenchmarkRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BenchmarkResult" (
    "id" TEXT NOT NULL,
    "runId" TEXT,
    "boxId" TEXT,
    "pathId" TEXT,
    "variantId" TEXT NOT NULL,
    "source" "ResultSource" NOT NULL,
    "sourceTool" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "profileKey" TEXT NOT NULL,
    "concurrency" INTEGER,
    "quantization" TEXT,
    "bytesPerParam" DECIMAL(6,3),
    "contextTokens" INTEGER,
    "decodeTokensPerSecond" DOUBLE PRECISION,
    "outputTokensPerSecond" DOUBLE PRECISION,
    "ttftP95Ms" DOUBLE PRECISION,
    "ttftP99Ms" DOUBLE PRECISION,
    "summary" JSONB NOT NULL,
    "regression" JSONB,
    "isEstimate" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "measuredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BenchmarkResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BenchmarkRawData" (
    "id" TEXT NOT NULL,
    "resultId" TEXT NOT NULL,
    "records" JSONB NOT NULL,

    CONSTRAINT "BenchmarkRawData_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionSet" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "questionCount" INTEGER NOT NULL,
    "questions" JSONB,

    CONSTRAINT "QuestionSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QualityEvaluation" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "questionSetId" TEXT NOT NULL,
    "pathId" TEXT,
    "withRetrieval" BOOLEAN NOT NULL,
    "judges" TEXT[],
    "accepted" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "judgeAgreement" DECIMAL(6,5),
    "disagreements" JSONB NOT NULL DEFAULT '[]',
    "source" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QualityEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessPath" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "acceleratorClass" TEXT NOT NULL,
    "vendorId" TEXT NOT NULL,
    "servingPathId" TEXT,
    "channel" "AccessChannel" NOT NULL,
    "minimumCommitmentAmount" DECIMAL(20,8),
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "minimumCommitmentHours" INTEGER,
    "paidUpFront" BOOLEAN NOT NULL,
    "cancellable" BOOLEAN NOT NULL,
    "typicalLeadTimeDays" INTEGER,
    "quotaNeeded" TEXT,
    "region" TEXT,
    "notes" TEXT,
    "source" TEXT NOT NULL,

    CONSTRAINT "AccessPath_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessAttempt" (
    "id" TEXT NOT NULL,
    "slug" TEXT,
    "accessPathId" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "outcome" "AccessOutcome" NOT NULL,
    "notes" TEXT,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Workload" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "keep" TEXT[],
    "answer" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "boxId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DedupeKey" (
    "key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DedupeKey_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Vendor_slug_key" ON "Vendor"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Box_slug_key" ON "Box"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Model_slug_key" ON "Model"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVariant_slug_key" ON "ModelVariant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "FineTuneFeasibility_slug_key" ON "FineTuneFeasibility"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ServingPath_slug_key" ON "ServingPath"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CapacityFact_slug_key" ON "CapacityFact"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "PriceComponent_slug_key" ON "PriceComponent"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "LayerPlacement_pathId_layer_key" ON "LayerPlacement"("pathId", "layer");

-- CreateIndex
CREATE UNIQUE INDEX "VendorAssessment_slug_key" ON "VendorAssessment"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "LabFinding_slug_key" ON "LabFinding"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "BenchmarkRun_idempotencyKey_key" ON "BenchmarkRun"("idempotencyKey");

-- CreateIndex
CREATE INDEX "BenchmarkRun_boxId_status_createdAt_idx" ON "BenchmarkRun"("boxId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BenchmarkResult_fingerprint_key" ON "BenchmarkResult"("fingerprint");

-- CreateIndex
CREATE INDEX "BenchmarkResult_boxId_variantId_profileKey_measuredAt_idx" ON "BenchmarkResult"("boxId", "variantId", "profileKey", "measuredAt");

-- CreateIndex
CREATE UNIQUE INDEX "BenchmarkRawData_resultId_key" ON "BenchmarkRawData"("resultId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionSet_slug_key" ON "QuestionSet"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionSet_contentHash_key" ON "QuestionSet"("contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "QualityEvaluation_slug_key" ON "QualityEvaluation"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "AccessPath_slug_key" ON "AccessPath"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "AccessAttempt_slug_key" ON "AccessAttempt"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_at_idx" ON "AuditEvent"("entityType", "entityId", "at");

-- AddForeignKey
ALTER TABLE "Box" ADD CONSTRAINT "Box_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVariant" ADD CONSTRAINT "ModelVariant_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FineTuneFeasibility" ADD CONSTRAINT "FineTuneFeasibility_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServingPath" ADD CONSTRAINT "ServingPath_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServingPath" ADD CONSTRAINT "ServingPath_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Box"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CapacityFact" ADD CONSTRAINT "CapacityFact_pathId_fkey" FOREIGN KEY ("pathId") REFERENCES "ServingPath"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CapacityFact" ADD CONSTRAINT "CapacityFact_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceComponent" ADD CONSTRAINT "PriceComponent_pathId_fkey" FOREIGN KEY ("pathId") REFERENCES "ServingPath"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceComponent" ADD CONSTRAINT "PriceComponent_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LayerPlacement" ADD CONSTRAINT "LayerPlacement_pathId_fkey" FOREIGN KEY ("pathId") REFERENCES "ServingPath"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VendorAssessment" ADD CONSTRAINT "VendorAssessment_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkRun" ADD CONSTRAINT "BenchmarkRun_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Box"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkRun" ADD CONSTRAINT "BenchmarkRun_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkResult" ADD CONSTRAINT "BenchmarkResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "BenchmarkRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkResult" ADD CONSTRAINT "BenchmarkResult_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Box"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkResult" ADD CONSTRAINT "BenchmarkResult_pathId_fkey" FOREIGN KEY ("pathId") REFERENCES "ServingPath"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkResult" ADD CONSTRAINT "BenchmarkResult_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenchmarkRawData" ADD CONSTRAINT "BenchmarkRawData_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "BenchmarkResult"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityEvaluation" ADD CONSTRAINT "QualityEvaluation_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityEvaluation" ADD CONSTRAINT "QualityEvaluation_questionSetId_fkey" FOREIGN KEY ("questionSetId") REFERENCES "QuestionSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityEvaluation" ADD CONSTRAINT "QualityEvaluation_pathId_fkey" FOREIGN KEY ("pathId") REFERENCES "ServingPath"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessPath" ADD CONSTRAINT "AccessPath_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessPath" ADD CONSTRAINT "AccessPath_servingPathId_fkey" FOREIGN KEY ("servingPathId") REFERENCES "ServingPath"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessAttempt" ADD CONSTRAINT "AccessAttempt_accessPathId_fkey" FOREIGN KEY ("accessPathId") REFERENCES "AccessPath"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Box"("id") ON DELETE SET NULL ON UPDATE CASCADE;
