import type { INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../resourceLocator';

/** The RocketMQ (ONS) instance locator, shared by the ONS operations. */
export const onsInstanceLocator: INodeProperties = resourceLocator({
	displayName: 'Instance',
	name: 'instanceId',
	description: 'The ApsaraMQ for RocketMQ (ONS) instance, e.g. MQ_INST_111111111111_DOxxxxxx',
	example: 'MQ_INST_111111111111_DOxxxxxx',
	searchListMethod: 'searchOnsInstances',
});

/** The consumer group locator, shared by the ONS operations. */
export const onsGroupLocator: INodeProperties = resourceLocator({
	displayName: 'Group',
	name: 'groupId',
	description: 'The consumer group (group ID), e.g. GID_test_group_id',
	example: 'GID_test_group_id',
	searchListMethod: 'searchOnsGroups',
	dependsOn: ['instanceId.value'],
});
