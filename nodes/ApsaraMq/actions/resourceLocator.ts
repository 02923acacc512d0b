import type { INodeProperties } from 'n8n-workflow';

interface LocatorSpec {
	displayName: string;
	name: string;
	description: string;
	/** An example ID, shown as the placeholder of the ID mode. */
	example: string;
	/** The listSearch method that fills the dropdown from the account. */
	searchListMethod: string;
	/** Other locators the list depends on (the topics of the chosen instance, …). */
	dependsOn?: string[];
}

/**
 * A resource locator: pick from a searchable list filled from the account, or type the ID.
 * Saved workflows store `{ __rl: true, mode, value }`; mode `id` always exists (docs/interface.md#operations).
 */
export function resourceLocator(spec: LocatorSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: spec.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${spec.example}`,
			},
		],
		...(spec.dependsOn ? { typeOptions: { loadOptionsDependsOn: spec.dependsOn } } : {}),
	};
}

