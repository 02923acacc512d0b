import type { IDataObject } from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import { FailureMemory } from '../../nodes/ApsaraMqTrigger/consume/failureMemory';
import { staticDataStore } from '../../nodes/ApsaraMqTrigger/consume/staticDataStore';

/**
 * n8n saves a workflow's static data only when its observable object says it changed. Built here
 * as n8n 2.41 builds it: the workflow's static data observable (`new Workflow`), the node's an
 * observable child (`getStaticData('node')`), optionally with what the database held.
 */
function n8nStaticData(stored: IDataObject = {}) {
	const workflow = ObservableObject.create({ 'node:Trigger': stored }) as IDataObject & {
		__dataChanged: boolean;
	};
	const node = workflow['node:Trigger'] as IDataObject;
	return { workflow, node };
}

describe('staticDataStore', () => {
	it('a change inside an object put into the static data is not seen by n8n by itself', () => {
		const { workflow, node } = n8nStaticData();
		node.records = {};
		workflow.__dataChanged = false;
		(node.records as Record<string, number>).m1 = 1;
		expect(workflow.__dataChanged).toBe(false);
	});

	it('marks the static data changed on each record, so n8n saves it with the next execution', () => {
		const { workflow, node } = n8nStaticData();
		const failures = staticDataStore(node, 'failures');
		const memory = new FailureMemory(failures.store, 10, failures.changed);
		const flagAfter = (change: () => void) => {
			workflow.__dataChanged = false;
			change();
			return workflow.__dataChanged;
		};
		expect(flagAfter(() => memory.recordFailure('m2'))).toBe(true);
		expect(flagAfter(() => memory.forget('m2'))).toBe(true);
		expect(JSON.parse(JSON.stringify(workflow))).toEqual({
			'node:Trigger': { failures: {} },
		});
	});

	it('keeps what n8n loaded from the database, and marks changes to it too', () => {
		const { workflow, node } = n8nStaticData({ failures: { m1: 1 } });
		const failures = staticDataStore(node, 'failures');
		workflow.__dataChanged = false;
		const memory = new FailureMemory(failures.store, 10, failures.changed);
		expect(memory.failures('m1')).toBe(1);
		memory.recordFailure('m1');
		expect(workflow.__dataChanged).toBe(true);
		expect(JSON.parse(JSON.stringify(node))).toEqual({ failures: { m1: 2 } });
	});
});
