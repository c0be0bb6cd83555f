// One small story per main hook, each with its code beside it.
/// <reference types="vite/client" />
import type {Meta, StoryObj} from '@storybook/react-vite';
import {expect, userEvent, waitFor, within} from 'storybook/test';
import {UseCellExample} from './examples/UseCellExample.js';
import useCellSource from './examples/UseCellExample.tsx?raw';
import {UseRowExample} from './examples/UseRowExample.js';
import useRowSource from './examples/UseRowExample.tsx?raw';
import {UseSyncStatusExample} from './examples/UseSyncStatusExample.js';
import useSyncStatusSource from './examples/UseSyncStatusExample.tsx?raw';
import {UseTablesExample} from './examples/UseTablesExample.js';
import useTablesSource from './examples/UseTablesExample.tsx?raw';
import {UseValueExample} from './examples/UseValueExample.js';
import useValueSource from './examples/UseValueExample.tsx?raw';
import {HookExample} from './HookExample.js';

const meta = {
  title: 'Hooks',
  parameters: {controls: {disable: true}},
} satisfies Meta;
export default meta;

type Story = StoryObj<typeof meta>;

const example = (canvasElement: HTMLElement) =>
  within(within(canvasElement).getByRole('region', {name: 'Example'}));

export const UseTables: Story = {
  name: 'useTables',
  render: () => (
    <HookExample
      hook="useTables()"
      summary="All tables of the store, as one object."
      source={useTablesSource}
    >
      <UseTablesExample />
    </HookExample>
  ),
  play: async ({canvasElement}) => {
    const canvas = example(canvasElement);
    await expect(canvas.getByLabelText('Tables')).toHaveTextContent('"fido"');
    await userEvent.click(canvas.getByRole('button', {name: 'Add Felix the cat'}));
    await expect(canvas.getByLabelText('Tables')).toHaveTextContent('"felix"');
    await expect(within(canvasElement).getByLabelText('Code')).toHaveTextContent(
      "from 'syncstore/react'",
    );
  },
};

export const UseRow: Story = {
  name: 'useRow',
  render: () => (
    <HookExample
      hook="useRow(tableId, rowId)"
      summary="One row, as an object of its cells."
      source={useRowSource}
    >
      <UseRowExample />
    </HookExample>
  ),
  play: async ({canvasElement}) => {
    const canvas = example(canvasElement);
    await expect(canvas.getByLabelText('Row')).toHaveTextContent('fido: species=dog, age=3');
    await userEvent.click(canvas.getByRole('button', {name: 'Birthday'}));
    await expect(canvas.getByLabelText('Row')).toHaveTextContent(
      'fido: species=dog, age=4, mood=happy',
    );
  },
};

export const UseCell: Story = {
  name: 'useCell',
  render: () => (
    <HookExample
      hook="useCell(tableId, rowId, cellId)"
      summary="One cell: the smallest thing a component can watch."
      source={useCellSource}
    >
      <UseCellExample />
    </HookExample>
  ),
  play: async ({canvasElement}) => {
    const canvas = example(canvasElement);
    await userEvent.clear(canvas.getByLabelText('Name'));
    await userEvent.type(canvas.getByLabelText('Name'), 'Rex');
    await expect(canvas.getByLabelText('Greeting')).toHaveTextContent('Good dog, Rex!');
  },
};

export const UseValue: Story = {
  name: 'useValue',
  render: () => (
    <HookExample
      hook="useValue(valueId)"
      summary="One key value, from the store’s values beside its tables."
      source={useValueSource}
    >
      <UseValueExample />
    </HookExample>
  ),
  play: async ({canvasElement}) => {
    const canvas = example(canvasElement);
    await userEvent.click(canvas.getByRole('button', {name: 'Theme: light'}));
    await expect(canvas.getByRole('button')).toHaveTextContent('Theme: dark');
  },
};

export const UseSyncStatus: Story = {
  name: 'useSyncStatus',
  render: () => (
    <HookExample
      hook="useSyncStatus()"
      summary="The synchronizer’s connection, sync phase, pending changes, last sync and error."
      source={useSyncStatusSource}
    >
      <UseSyncStatusExample />
    </HookExample>
  ),
  play: async ({canvasElement}) => {
    const canvas = example(canvasElement);
    const status = canvas.getByLabelText('Sync status');
    await waitFor(() => expect(status).toHaveTextContent(/connection\s*online/));
    await userEvent.click(canvas.getByRole('button', {name: 'Edit'}));
    await waitFor(() => expect(status).toHaveTextContent(/phase\s*synced/));
    await expect(status).toHaveTextContent(/pending changes\s*0/);
    await expect(status).not.toHaveTextContent(/last synced\s*never/);
  },
};
