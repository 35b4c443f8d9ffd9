/** CloudFormation's records of stacks, as its API shows them (stacks.ts keeps them, disk.ts writes them down). */

export interface Tag {
  Key: string;
  Value: string;
}

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

export interface StackResourceRecord {
  logicalId: string;
  type: string;
  physicalId: string;
  status: string;
  reason?: string;
  updatedAt: number;
}

export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  type: string;
  physicalId?: string;
}

export interface ChangeSet {
  id: string;
  name: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  status: 'CREATE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus: 'AVAILABLE' | 'UNAVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'OBSOLETE';
  createdAt: number;
  templateBody: string;
  tags: Tag[];
  capabilities: string[];
  changes: ResourceChange[];
  description?: string;
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  description?: string;
  tags: Tag[];
  capabilities: string[];
  templateBody: string;
  outputs: Array<{ OutputKey: string; OutputValue: string; Description?: string; ExportName?: string }>;
  events: StackEvent[];
  resources: Map<string, StackResourceRecord>;
  changeSets: Map<string, ChangeSet>;
  /** Where its functions' code was taken from at its last deploy (restored from there after a restart). */
  serviceDir?: string;
}
