/**
 * Every operation of the node, one line each. The Operation dropdown, the subtitle and the fields
 * of the node are derived from this list (nodeDescription.ts), and the router finds the operation
 * to run here: adding an operation is its file plus one line below. The fields appear in the order
 * of these lines; the dropdown is sorted by name.
 */
export { sendMqttMessage } from './mqtt/sendMqttMessage.operation';
export { pushOnsMessage } from './rocketmq/pushOnsMessage.operation';
export { getOnsConsumerConnections } from './rocketmq/getOnsConsumerConnections.operation';
export { publishRocketMqMessage } from './rocketmq/publishRocketMqMessage.operation';
