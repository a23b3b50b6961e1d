import type { PathKind } from '../evidence';
import { customModelImportCostModel } from './custom-model-import';
import { nativeFineTuneCostModel } from './native-fine-tune';
import { onDemandTokensCostModel } from './on-demand-tokens';
import { ownedBoxCostModel } from './owned-box';
import { provisionedThroughputCostModel } from './provisioned-throughput';
import { rentedInstanceCostModel } from './rented-instance';
import type { CostModelContext, CostModelResult } from './types';

const COST_MODEL_BY_KIND: Record<PathKind, (context: CostModelContext) => CostModelResult> = {
  OWNED_BOX: ownedBoxCostModel,
  PROVISIONED_THROUGHPUT: provisionedThroughputCostModel,
  CUSTOM_MODEL_IMPORT: customModelImportCostModel,
  NATIVE_FINE_TUNE: nativeFineTuneCostModel,
  ON_DEMAND_TOKENS: onDemandTokensCostModel,
  RENTED_INSTANCE: rentedInstanceCostModel,
};

export function buildCostModel(context: CostModelContext): CostModelResult {
  return COST_MODEL_BY_KIND[context.path.kind](context);
}
