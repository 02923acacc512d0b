import { deliveriesOf, refusedHandlesOf } from '../../nodes/ApsaraMqTrigger/transport/consumeAnswer';
import { parseXml } from '../../nodes/ApsaraMq/transport/mqHttp/xml';

describe('the answers of ConsumeMessage and AckMessage', () => {
	it('reads every message of a ConsumeMessage answer, text unescaped, properties parsed', () => {
		const root = parseXml(
			'<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mq.aliyuncs.com/doc/v1/"><Message>' +
				'<MessageId>1E05</MessageId><ReceiptHandle>h1</ReceiptHandle><MessageBodyMD5>X</MessageBodyMD5>' +
				'<MessageBody>a &lt;b&gt; &amp; c</MessageBody><PublishTime>1700000000000</PublishTime>' +
				'<FirstConsumeTime>1700000000100</FirstConsumeTime><NextConsumeTime>1700000300100</NextConsumeTime>' +
				'<ConsumedTimes>2</ConsumedTimes><MessageTag>TagA</MessageTag><Properties>KEYS:k1|__SHARDINGKEY:s</Properties>' +
				'</Message><Message><MessageId>1E06</MessageId><ReceiptHandle>h2</ReceiptHandle><MessageBody></MessageBody>' +
				'<ConsumedTimes>1</ConsumedTimes></Message></Messages>',
		);
		const [first, second] = deliveriesOf(root);
		expect(first).toEqual({
			messageId: '1E05',
			receiptHandle: 'h1',
			body: 'a <b> & c',
			bodyMd5: 'X',
			tag: 'TagA',
			properties: { KEYS: 'k1', __SHARDINGKEY: 's' },
			publishTime: 1_700_000_000_000,
			firstConsumeTime: 1_700_000_000_100,
			nextConsumeTime: 1_700_000_300_100,
			consumedTimes: 2,
		});
		expect(second).toMatchObject({ messageId: '1E06', body: '', tag: '', properties: {}, consumedTimes: 1 });
	});

	it('lists the handles an acknowledgement refused, and nothing for another answer', () => {
		const body =
			'<Errors xmlns="http://mq.aliyuncs.com/doc/v1/"><Error><ErrorCode>MessageNotExist</ErrorCode>' +
			'<ErrorMessage>The receipt handle has expired.</ErrorMessage><ReceiptHandle>h1</ReceiptHandle></Error></Errors>';
		expect(refusedHandlesOf(body)).toEqual([
			{ receiptHandle: 'h1', code: 'MessageNotExist', message: 'The receipt handle has expired.' },
		]);
		expect(refusedHandlesOf('<Error><Code>AccessDenied</Code></Error>')).toBeUndefined();
		expect(refusedHandlesOf('<html>proxy</html')).toBeUndefined();
	});
});
