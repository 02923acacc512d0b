import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../resourceLocator';

/** The RocketMQ (ONS) instance locator, shared by the ONS operations. */
export function onsInstanceLocator(operation: string): INodeProperties {
	return resourceLocator({
		displayName: 'Instance',
		name: 'instanceId',
		operation,
		description: 'The ApsaraMQ for RocketMQ (ONS) instance, e.g. MQ_INST_111111111111_DOxxxxxx',
		example: 'MQ_INST_111111111111_DOxxxxxx',
		searchListMethod: 'searchOnsInstances',
	});
}

/** The consumer group locator, shared by the ONS operations. */
export function onsGroupLocator(operation: string): INodeProperties {
	return resourceLocator({
		displayName: 'Group',
		name: 'groupId',
		operation,
		description: 'The consumer group (group ID), e.g. GID_test_group_id',
		example: 'GID_test_group_id',
		searchListMethod: 'searchOnsGroups',
		dependsOn: ['instanceId.value'],
	});
}
