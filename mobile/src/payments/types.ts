export type PayButtonProps = {
  clientSecret: string;
  method: 'card' | 'bancontact';
  label: string;
  onPaid: () => void;
};
