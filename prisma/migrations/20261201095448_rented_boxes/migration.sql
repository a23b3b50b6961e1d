-- CreateEnum
CREATE TYPE "BoxOwnership" AS ENUM ('OWNED', 'RENTED');

-- AlterTable
ALTER TABLE "Box" ADD COLUMN     "ownership" "BoxOwnership" NOT NULL DEFAULT 'OWNED',
ALTER COLUMN "powerActiveW" DROP NOT NULL,
ALTER COLUMN "powerIdleW" DROP NOT NULL,
ALTER COLUMN "purchasePrice" DROP NOT NULL,
ALTER COLUMN "amortizationMonths" DROP NOT NULL;

-- A box is a machine a runner can run on, owned or rented. Only an owned box is bought, amortized
-- and powered by us, so it must say what it cost and draws, while a rented box is priced per
-- instance-hour on its paths and must not carry a purchase price the cost models could mistake
-- for its own.
ALTER TABLE "Box" ADD CONSTRAINT "Box_ownership_costs_check" CHECK (
  ("ownership" = 'OWNED' AND "purchasePrice" IS NOT NULL AND "amortizationMonths" IS NOT NULL
    AND "powerActiveW" IS NOT NULL AND "powerIdleW" IS NOT NULL)
  OR ("ownership" = 'RENTED' AND "purchasePrice" IS NULL AND "amortizationMonths" IS NULL)
);
