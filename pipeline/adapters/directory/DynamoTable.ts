import {
  DeleteCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  type GetCommandOutput,
  PutCommand,
  type PutCommandInput,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoCall } from './dynamoCall.ts';

/** Input and output of each single-table operation {@link DynamoTable} sends. */
interface TableOperations {
  GetItem: [GetCommandInput, GetCommandOutput];
  PutItem: [PutCommandInput, PutCommandOutput];
  UpdateItem: [UpdateCommandInput, UpdateCommandOutput];
  DeleteItem: [DeleteCommandInput, DeleteCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
}

/** A DynamoDB operation on one table: `GetItem`, `PutItem`, `UpdateItem`, `DeleteItem`, `Query`, `Scan`. */
export type TableOperation = keyof TableOperations;

/** What the document client's `send` takes. */
type AnyCommand = Parameters<DynamoDBDocumentClient['send']>[0];

/** The document client command of each operation. */
const COMMANDS = {
  GetItem: GetCommand,
  PutItem: PutCommand,
  UpdateItem: UpdateCommand,
  DeleteItem: DeleteCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
} as const;

/**
 * One DynamoDB table behind a document client. {@link DynamoTable.send} sends one operation
 * with `TableName` filled in, through {@link dynamoCall} (a `DynamoDB.<operation>` client span,
 * errors translated); conditions, projections and consistency stay with the caller.
 */
export class DynamoTable {
  /** Physical name of the table. */
  readonly name: string;
  readonly #client: DynamoDBDocumentClient;

  constructor(client: DynamoDBDocumentClient, name: string) {
    this.#client = client;
    this.name = name;
  }

  /** Sends `operation` with `input` (everything but `TableName`) on this table. */
  send<K extends TableOperation>(
    operation: K,
    input: Omit<TableOperations[K][0], 'TableName'>,
  ): Promise<TableOperations[K][1]> {
    // The map pairs each operation with its own command class; TypeScript cannot follow `K` through it.
    const Command = COMMANDS[operation] as unknown as new (input: TableOperations[K][0]) => AnyCommand;
    const command = new Command({ ...input, TableName: this.name } as TableOperations[K][0]);
    return dynamoCall(
      operation,
      this.name,
      () => this.#client.send(command) as Promise<TableOperations[K][1]>,
    );
  }

  /** A strongly consistent GetItem of the item whose partition key `pk` is `pk`; its item, if any. */
  async getByPk(pk: string): Promise<Record<string, unknown> | undefined> {
    return (await this.send('GetItem', { Key: { pk }, ConsistentRead: true })).Item;
  }
}
