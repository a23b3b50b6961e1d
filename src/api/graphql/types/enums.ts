import {
  AccessChannel,
  AccessOutcome,
  BoxOwnership,
  CapacityKind,
  Confidence,
  DapmLayer,
  EndpointKind,
  FeasibilityStatus,
  FineTuneMethod,
  PathKind,
  Placement,
  PriceKind,
  ResultSource,
  Role,
  RunStatus,
} from '../../../generated/prisma/enums';
import { builder } from '../builder';

export const BoxOwnershipEnum = builder.enumType(BoxOwnership, {
  name: 'BoxOwnership',
  description:
    'OWNED: bought, amortized and powered by you (purchase price, amortization, power set); RENTED: an instance type hired by the hour, priced per instance-hour on its RENTED_INSTANCE paths (no purchase price).',
});
export const PathKindEnum = builder.enumType(PathKind, { name: 'PathKind' });
export const PriceKindEnum = builder.enumType(PriceKind, { name: 'PriceKind' });
export const ConfidenceEnum = builder.enumType(Confidence, {
  name: 'Confidence',
  description: 'C = vendor source, S = secondary source, U = unconfirmed or conflicting.',
});
export const DapmLayerEnum = builder.enumType(DapmLayer, { name: 'DapmLayer' });
export const PlacementEnum = builder.enumType(Placement, { name: 'Placement' });
export const FeasibilityStatusEnum = builder.enumType(FeasibilityStatus, { name: 'FeasibilityStatus' });
export const FineTuneMethodEnum = builder.enumType(FineTuneMethod, { name: 'FineTuneMethod' });
export const RunStatusEnum = builder.enumType(RunStatus, { name: 'RunStatus' });
export const EndpointKindEnum = builder.enumType(EndpointKind, { name: 'EndpointKind' });
export const ResultSourceEnum = builder.enumType(ResultSource, { name: 'ResultSource' });
export const RoleEnum = builder.enumType(Role, { name: 'Role' });
export const AccessChannelEnum = builder.enumType(AccessChannel, { name: 'AccessChannel' });
export const AccessOutcomeEnum = builder.enumType(AccessOutcome, { name: 'AccessOutcome' });
export const CapacityKindEnum = builder.enumType(CapacityKind, { name: 'CapacityKind' });
